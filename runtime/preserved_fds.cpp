#include "runtime/preserved_fds.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace minirun::runtime {

void reserve_preserved_fds(int n) {
  for (int fd = 3; fd < 3 + n; ++fd) {
    if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF) continue;
    int filler = open("/dev/null", O_RDWR);
    if (filler >= 0 && filler != fd) {
      dup2(filler, fd);
      close(filler);
    }
  }
}

}  // namespace minirun::runtime
