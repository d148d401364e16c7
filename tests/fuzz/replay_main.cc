// SPDX-License-Identifier: Apache-2.0
// Replays inputs through a fuzz harness without libFuzzer, so that the seed corpus and every
// past finding run as ordinary ctest tests:
//   bulwark_fuzz_replay <harness> <file-or-directory>...
// Directories are read non-recursively (every regular file, sorted); a missing path is
// skipped. Fails when the harness is unknown or no input was run at all.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "fuzz/fuzz_support.h"

namespace bulwark::fuzz {

namespace {
std::map<std::string, TargetFn, std::less<>>& Targets() {
  static std::map<std::string, TargetFn, std::less<>> targets;
  return targets;
}
}  // namespace

bool RegisterTarget(std::string_view name, TargetFn fn) {
  Targets().emplace(std::string(name), fn);
  return true;
}

}  // namespace bulwark::fuzz

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s <harness> <file-or-directory>...\n", argv[0]);
    return 2;
  }
  const auto& targets = bulwark::fuzz::Targets();
  const auto target = targets.find(std::string_view(argv[1]));
  if (target == targets.end()) {
    std::fprintf(stderr, "unknown harness '%s'; known:", argv[1]);
    for (const auto& [name, fn] : targets) std::fprintf(stderr, " %s", name.c_str());
    std::fprintf(stderr, "\n");
    return 2;
  }
  std::vector<fs::path> files;
  for (int i = 2; i < argc; ++i) {
    const fs::path path(argv[i]);
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::vector<fs::path> in_dir;
      for (const fs::directory_entry& entry : fs::directory_iterator(path, ec)) {
        if (entry.is_regular_file()) in_dir.push_back(entry.path());
      }
      std::sort(in_dir.begin(), in_dir.end());
      files.insert(files.end(), in_dir.begin(), in_dir.end());
    } else if (fs::is_regular_file(path, ec)) {
      files.push_back(path);
    }
  }
  for (const fs::path& file : files) {
    std::ifstream in(file, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::fprintf(stderr, "replay %s: %s (%zu bytes)\n", argv[1], file.c_str(), bytes.size());
    target->second(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  }
  std::fprintf(stderr, "replay %s: %zu inputs, no crash\n", argv[1], files.size());
  return files.empty() ? 1 : 0;
}
