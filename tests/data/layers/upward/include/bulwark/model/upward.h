// A fixture for scripts/check-layers.sh: a model header must not include an engine header.
#include "bulwark/user_service.h"
