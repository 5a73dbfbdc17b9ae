// Errors as values for everything that makes a syscall: the step that failed, what it was
// doing, and errno. Exceptions are not used below cmd/ except inside spec parsing.
#pragma once

#include <cerrno>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace minirun::sys {

struct Error {
  std::string step;     // "mount", "sysctl", "pivot_root": what init or the parent was doing
  std::string message;  // context chain, outermost first
  int errnum = 0;       // 0 when the failure was not a syscall's

  // "step: message: strerror(errnum)"
  std::string describe() const;

  // The error of the syscall that just failed: captures errno now.
  static Error from_errno(std::string step, std::string message);
  static Error plain(std::string step, std::string message);

  // The same failure as the calling step tells it: the outer step and what it was doing come
  // first and the inner step, message and errno are kept, so it reads outer -> inner -> errno
  // ("sysctl: write net.ipv4.ip_forward = \"1\": open net/ipv4/ip_forward: Read-only ...").
  Error within(std::string outer_step, const std::string& context) const;
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Error error) : v_(std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  T* operator->() { return &value(); }
  T& operator*() { return value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : e_(std::move(error)) {}

  bool ok() const { return !e_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const { return *e_; }

 private:
  std::optional<Error> e_;
};

using Status = Result<void>;

}  // namespace minirun::sys

// Propagate a failed Result from an expression: `MR_TRY(mount_all(...));`.
#define MR_TRY(expr)                                                                  \
  do {                                                                                \
    if (auto mr_try_result_ = (expr); !mr_try_result_) return mr_try_result_.error(); \
  } while (0)
