// A bundle loaded for running: its config parsed and validated against this host, and the
// rootfs resolved. Every config error surfaces here, before anything is created.
#pragma once

#include <string>

#include "runtime/sys/error.hpp"
#include "spec/config.hpp"
#include "spec/validate.hpp"

namespace minirun::runtime {

struct Bundle {
  std::string dir;     // absolute
  std::string rootfs;  // absolute, symlinks resolved, a directory
  spec::Config config;
  std::string config_text;  // config.json as read: state.json keeps it for later verbs
};

// Errors carry the one line to print ("config.json: /process/args/0: expected a string") in
// message, with an empty step.
sys::Result<Bundle> load_bundle(const std::string& dir);

// What validation asks of this host (namespace identities by stat); load_bundle uses it, and
// `check` uses it to explain a config the same way.
spec::HostFacts host_facts();

}  // namespace minirun::runtime
