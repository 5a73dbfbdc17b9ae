#include "runtime/process/user_home.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "runtime/sys/fd.hpp"
#include "runtime/sys/trace.hpp"
#include "spec/passwd.hpp"
#include "spec/process_env.hpp"

namespace minirun::runtime {

namespace {

constexpr off_t kMaxPasswdBytes = off_t{4} << 20;

// /etc/passwd of the root we are in; nullopt when there is none to read. *whole: the text is
// the whole file (not cut at kMaxPasswdBytes).
std::optional<std::string> read_passwd(bool* whole) {
  open_how how{};
  how.flags = O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
  how.resolve = RESOLVE_NO_MAGICLINKS;
  sys::Fd fd(static_cast<int>(::syscall(SYS_openat2, AT_FDCWD, "/etc/passwd", &how, sizeof how)));
  if (!fd) return std::nullopt;
  struct stat st {};
  if (fstat(fd.get(), &st) < 0 || !S_ISREG(st.st_mode) || st.st_size <= 0) return std::nullopt;
  const off_t wanted = std::min(st.st_size, kMaxPasswdBytes);
  std::string text(static_cast<size_t>(wanted), '\0');
  size_t got = 0;
  while (got < text.size()) {
    ssize_t n = ::read(fd.get(), text.data() + got, text.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return std::nullopt;
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  text.resize(got);
  *whole = st.st_size <= kMaxPasswdBytes;
  return text;
}

}  // namespace

std::string container_home(uint32_t uid) {
  bool whole = true;
  auto passwd = read_passwd(&whole);
  if (!passwd) return "/";
  auto entry = spec::find_passwd_uid(*passwd, uid, whole);
  if (!entry || entry->home.empty()) return "/";
  return std::string(entry->home);
}

std::optional<std::vector<std::string>> container_env(const spec::Process& process) {
  if (spec::env_is_final(process.env)) return std::nullopt;
  std::string home;
  if (spec::needs_home(process.env)) {
    long start = trace_enabled() ? monotonic_micros() : 0;
    home = container_home(process.user.uid);
    if (trace_enabled()) trace_line("home", "HOME=" + home, monotonic_micros() - start);
  }
  return spec::final_env(process.env, home);
}

}  // namespace minirun::runtime
