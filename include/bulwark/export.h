// SPDX-License-Identifier: Apache-2.0
//
// BULWARK_EXPORT marks the symbols of the public API. bulwark builds with hidden visibility;
// a shared build defines BULWARK_SHARED_LIBRARY (and BULWARK_COMPILE_LIBRARY while building
// the library itself), a static build defines neither.
#ifndef BULWARK_EXPORT_H_
#define BULWARK_EXPORT_H_

#if defined(BULWARK_SHARED_LIBRARY)
#if defined(_WIN32)
#if defined(BULWARK_COMPILE_LIBRARY)
#define BULWARK_EXPORT __declspec(dllexport)
#else
#define BULWARK_EXPORT __declspec(dllimport)
#endif
#else
#define BULWARK_EXPORT [[gnu::visibility("default")]]
#endif
#else
#define BULWARK_EXPORT
#endif

#endif  // BULWARK_EXPORT_H_
