// What validation needs to know about the host, as values and callbacks the runtime fills
// with stat(2) and unit tests with fakes: spec/ stays free of syscalls.
#pragma once

#include <sys/types.h>

#include <functional>
#include <optional>
#include <string>

namespace minirun::spec {

struct NamespaceIdentity {
  dev_t dev = 0;
  ino_t ino = 0;
  bool operator==(const NamespaceIdentity&) const = default;
};

struct HostFacts {
  // stat of a namespace path; nullopt (with errno text in *error) when it cannot be read.
  std::function<std::optional<NamespaceIdentity>(const std::string& path, std::string* error)>
      namespace_identity;
  // The caller's own network namespace (/proc/self/ns/net); asked only when a sysctl's
  // verdict needs it (the stat costs a start about 10 us).
  std::function<std::optional<NamespaceIdentity>()> current_netns;
  // stat(2)'s st_mode of a host path; nullopt when it cannot be stat'ed (a hook that does not
  // exist yet is not refused here: running it fails, as with runc). Unset: not asked.
  std::function<std::optional<unsigned>(const std::string& path)> file_mode;
};

}  // namespace minirun::spec
