// Network fixtures shared by the network tests: a named netns that is deleted when the test
// ends, whichever way it ends. Its name starts "mr-it-<pid>-", as the leak check expects.
#pragma once

#include <unistd.h>

#include <string>
#include <vector>

#include "harness_subprocess.hpp"

namespace minirun::itest {

// A named netns (`ip netns add`).
class NamedNetns {
 public:
  explicit NamedNetns(const std::string& tag)
      : name_("mr-it-" + std::to_string(getpid()) + "-" + tag) {
    RunResult r = run_process({"ip", "netns", "add", name_});
    created_ = r.exit_code == 0;
    if (!created_) error_ = "ip netns add " + name_ + ": " + r.err;
  }
  ~NamedNetns() {
    if (created_) run_process({"ip", "netns", "delete", name_});
  }
  NamedNetns(const NamedNetns&) = delete;
  NamedNetns& operator=(const NamedNetns&) = delete;

  bool ok() const { return created_; }
  const std::string& error() const { return error_; }
  std::string path() const { return "/var/run/netns/" + name_; }

  // Runs argv inside the netns, from the host side.
  RunResult exec(std::vector<std::string> argv) const {
    argv.insert(argv.begin(), {"ip", "netns", "exec", name_});
    return run_process(argv);
  }
  // An interface that lives only in this netns: a dummy, or one end of a veth pair where the
  // kernel has no dummy driver.
  bool add_interface(const std::string& ifname) const {
    if (run_process({"ip", "-n", name_, "link", "add", "name", ifname, "type", "dummy"})
            .exit_code == 0)
      return true;
    const std::string peer = "p" + std::to_string(getpid());
    return run_process({"ip", "-n", name_, "link", "add", "name", ifname, "type", "veth", "peer",
                        "name", peer})
               .exit_code == 0;
  }

 private:
  std::string name_;
  bool created_ = false;
  std::string error_;
};

}  // namespace minirun::itest
