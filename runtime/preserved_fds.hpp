// --preserve-fds N: fds 3 .. 3+N-1 of the caller reach the container process. Everything
// else at or above 3 is closed at exec (close_range from 3+N, CLOSE_RANGE_CLOEXEC).
#pragma once

namespace minirun::runtime {

// Fills any hole in 3 .. 3+n-1 with /dev/null, so no fd the runtime opens later (sync socket,
// namespace fds) lands in the preserved range and leaks into the container. Call first.
void reserve_preserved_fds(int n);

}  // namespace minirun::runtime
