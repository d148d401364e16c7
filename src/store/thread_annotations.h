// SPDX-License-Identifier: Apache-2.0
//
// Private: Clang thread-safety annotations (leveldb's port/thread_annotations.h). They are
// no-ops under g++; a clang build with -Wthread-safety checks them.
#ifndef BULWARK_STORE_THREAD_ANNOTATIONS_H_
#define BULWARK_STORE_THREAD_ANNOTATIONS_H_

#if defined(__clang__)
#define BULWARK_THREAD_ANNOTATION_(x) __attribute__((x))
#else
#define BULWARK_THREAD_ANNOTATION_(x)
#endif

#ifndef BULWARK_GUARDED_BY
#define BULWARK_GUARDED_BY(x) BULWARK_THREAD_ANNOTATION_(guarded_by(x))
#endif
#ifndef BULWARK_PT_GUARDED_BY
#define BULWARK_PT_GUARDED_BY(x) BULWARK_THREAD_ANNOTATION_(pt_guarded_by(x))
#endif
#ifndef BULWARK_REQUIRES
#define BULWARK_REQUIRES(...) BULWARK_THREAD_ANNOTATION_(requires_capability(__VA_ARGS__))
#endif
#ifndef BULWARK_EXCLUDES
#define BULWARK_EXCLUDES(...) BULWARK_THREAD_ANNOTATION_(locks_excluded(__VA_ARGS__))
#endif

#endif  // BULWARK_STORE_THREAD_ANNOTATIONS_H_
