// process.terminal: init allocates a pty inside the container (its own devpts) and hands the
// master to the parent over the sync socket, as runc does for --console-socket.
#pragma once

#include <termios.h>

#include <optional>

#include "runtime/sys/error.hpp"
#include "runtime/sys/fd.hpp"
#include "spec/config.hpp"

namespace minirun::runtime {

// New session, the pty slave as controlling terminal and stdio. Returns the master.
// bind_on_dev_console: init's console is bound on /dev/console too, as runc does; an exec'd
// process's is not.
sys::Result<sys::Fd> setup_console(const std::optional<spec::ConsoleSize>& size,
                                   bool bind_on_dev_console);

// Parent: copy the window size of one terminal to another (SIGWINCH).
void copy_window_size(int from_fd, int to_fd);

// Parent: puts the user's terminal into raw mode while the container owns it.
class RawMode {
 public:
  explicit RawMode(int fd);
  ~RawMode();
  RawMode(const RawMode&) = delete;
  RawMode& operator=(const RawMode&) = delete;

 private:
  int fd_;
  bool active_ = false;
  struct termios saved_ {};
};

}  // namespace minirun::runtime
