// RFC 3339 UTC timestamps (spec/rfc3339.hpp), checked against dates worked out by hand and
// against glibc's gmtime_r over a spread of instants.
#include <gtest/gtest.h>

#include <ctime>

#include "spec/rfc3339.hpp"

using minirun::spec::rfc3339_utc;

TEST(Rfc3339, KnownInstants) {
  EXPECT_EQ(rfc3339_utc(0, 0), "1970-01-01T00:00:00.000000000Z");
  EXPECT_EQ(rfc3339_utc(951782400, 5), "2000-02-29T00:00:00.000000005Z");  // a leap day
  EXPECT_EQ(rfc3339_utc(1795916559, 123456789), "2026-11-29T01:42:39.123456789Z");
  EXPECT_EQ(rfc3339_utc(4102444799, 999999999), "2099-12-31T23:59:59.999999999Z");
}

TEST(Rfc3339, AgreesWithGmtime) {
  for (int64_t t = 0; t < 5000000000LL; t += 86399 * 37 + 12345) {
    time_t at = static_cast<time_t>(t);
    struct tm tm {};
    gmtime_r(&at, &tm);
    char want[64];
    strftime(want, sizeof want, "%Y-%m-%dT%H:%M:%S.000000042Z", &tm);
    ASSERT_EQ(rfc3339_utc(t, 42), want) << t;
  }
}
