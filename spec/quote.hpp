// Go's %q for the names we print, so messages read like runc's.
#pragma once

#include <string>
#include <string_view>

namespace minirun::spec {

// Go's strconv.Quote as far as our messages need it: ", \ and the control characters (C0, DEL,
// the C1 range U+0080-U+009F, U+2028 and U+2029) are escaped, and so is each byte that is not
// part of valid UTF-8 (\xNN). Other characters, ASCII or not, are kept as they are.
std::string go_quote(std::string_view s);

// s itself when go_quote would escape nothing in it but " and \, else go_quote(s): a line
// from a hostile argument or file (an ID with a newline, a terminal escape) stays one line of
// printable text on stderr and in a text log.
std::string one_line(std::string_view s);

}  // namespace minirun::spec
