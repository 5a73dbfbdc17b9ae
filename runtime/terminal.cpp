#include "runtime/terminal.hpp"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

namespace minirun::runtime {

sys::Result<sys::Fd> setup_console(const std::optional<spec::ConsoleSize>& size) {
  sys::Fd master(open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (!master) return sys::Error::from_errno("console", "open /dev/ptmx");
  int unlock = 0;
  if (ioctl(master.get(), TIOCSPTLCK, &unlock) < 0)
    return sys::Error::from_errno("console", "unlock pty");
  // TIOCGPTPEER opens the slave through the master: no path lookup the container could redirect.
  sys::Fd slave(ioctl(master.get(), TIOCGPTPEER, O_RDWR | O_NOCTTY));
  if (!slave) return sys::Error::from_errno("console", "open pty slave");
  if (size) {
    struct winsize ws {};
    ws.ws_row = static_cast<unsigned short>(size->height);
    ws.ws_col = static_cast<unsigned short>(size->width);
    ioctl(slave.get(), TIOCSWINSZ, &ws);
  }
  if (setsid() < 0) return sys::Error::from_errno("console", "setsid");
  if (ioctl(slave.get(), TIOCSCTTY, 0) < 0)
    return sys::Error::from_errno("console", "set controlling terminal");
  for (int target = 0; target < 3; ++target)
    if (dup2(slave.get(), target) < 0) return sys::Error::from_errno("console", "dup2 pty slave");
  return master;
}

void copy_window_size(int from_fd, int to_fd) {
  struct winsize ws {};
  if (ioctl(from_fd, TIOCGWINSZ, &ws) == 0) ioctl(to_fd, TIOCSWINSZ, &ws);
}

RawMode::RawMode(int fd) : fd_(fd) {
  if (!isatty(fd_) || tcgetattr(fd_, &saved_) < 0) return;
  struct termios raw = saved_;
  cfmakeraw(&raw);
  active_ = tcsetattr(fd_, TCSANOW, &raw) == 0;
}

RawMode::~RawMode() {
  if (active_) tcsetattr(fd_, TCSANOW, &saved_);
}

}  // namespace minirun::runtime
