#include "runtime/process/terminal.hpp"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/sys/paths_in_root.hpp"

namespace minirun::runtime {

namespace {

// runc binds the pty on /dev/console as well. The mount goes from the slave's fd onto an
// O_PATH fd of /dev/console opened without following a symlink, so a symlink planted there
// cannot aim the pty at another file (CVE-2025-52565).
sys::Status mount_console(int slave_fd) {
  sys::Fd root(open("/", O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!root) return sys::Error::from_errno("console", "open / (in container)");
  auto made = ensure_file_in_root(root.get(), "/dev/console", "console");  // when missing
  if (!made) return made.error();
  auto target = open_in_root(root.get(), "/dev/console", O_PATH | O_NOFOLLOW, "console");
  if (!target) return target.error();
  struct stat st {};
  if (fstat(target->get(), &st) != 0 || S_ISLNK(st.st_mode))
    return sys::Error::plain("console",
                             "/dev/console is a symlink; refusing to mount the pty on it");
  sys::Fd tree(open_tree(slave_fd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH));
  if (!tree) return sys::Error::from_errno("console", "bind the pty (open_tree)");
  if (move_mount(tree.get(), "", target->get(), "",
                 MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) != 0)
    return sys::Error::from_errno("console", "bind the pty on /dev/console");
  return {};
}

}  // namespace

sys::Result<sys::Fd> setup_console(const std::optional<spec::ConsoleSize>& size,
                                   bool bind_on_dev_console) {
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
  if (bind_on_dev_console) MR_TRY(mount_console(slave.get()));
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
