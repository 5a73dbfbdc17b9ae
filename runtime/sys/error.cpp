#include "runtime/sys/error.hpp"

#include <cstring>

namespace minirun::sys {

std::string Error::describe() const {
  std::string out = step;
  if (!message.empty()) out += (out.empty() ? "" : ": ") + message;
  if (errnum != 0) out += std::string(out.empty() ? "" : ": ") + std::strerror(errnum);
  return out;
}

Error Error::from_errno(std::string step, std::string message) {
  int saved = errno;
  return Error{std::move(step), std::move(message), saved};
}

Error Error::plain(std::string step, std::string message) {
  return Error{std::move(step), std::move(message), 0};
}

}  // namespace minirun::sys
