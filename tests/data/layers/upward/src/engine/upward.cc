// A fixture for scripts/check-layers.sh: the engine must not include http.
#include "http/api_support.h"
