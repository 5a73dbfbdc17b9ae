#include "runtime/sys/clock.hpp"

#include <ctime>

#include "spec/rfc3339.hpp"

namespace minirun::runtime {

std::string rfc3339_now() {
  struct timespec ts {};
  clock_gettime(CLOCK_REALTIME, &ts);
  return spec::rfc3339_utc(ts.tv_sec, ts.tv_nsec);
}

}  // namespace minirun::runtime
