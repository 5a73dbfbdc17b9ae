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

Error Error::within(std::string outer_step, const std::string& context) const {
  std::string inner = step == outer_step || step.empty() ? message : step + ": " + message;
  std::string chain = context.empty() ? inner : inner.empty() ? context : context + ": " + inner;
  return Error{std::move(outer_step), std::move(chain), errnum};
}

}  // namespace minirun::sys
