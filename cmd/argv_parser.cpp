#include "cmd/argv_parser.hpp"

#include <algorithm>
#include <charconv>

namespace minirun::cmd::argv {

namespace {

template <class T>
bool parse_number(std::string_view text, T& out) {
  const char* end = text.data() + text.size();
  auto [stop, ec] = std::from_chars(text.data(), end, out);
  return !text.empty() && ec == std::errc() && stop == end;
}

// Go's strconv.ParseBool, which runc's --flag=value goes through.
bool parse_bool(std::string_view text, bool& out) {
  for (std::string_view yes : {"1", "t", "T", "true", "TRUE", "True"})
    if (text == yes) {
      out = true;
      return true;
    }
  for (std::string_view no : {"0", "f", "F", "false", "FALSE", "False"})
    if (text == no) {
      out = false;
      return true;
    }
  return false;
}

bool store_string(void* target, std::string_view text) {
  static_cast<std::string*>(target)->assign(text);
  return true;
}

bool store_int(void* target, std::string_view text) {
  return parse_number(text, *static_cast<int*>(target));
}

template <class T>
bool store_optional(void* target, std::string_view text) {
  T value{};
  if (!parse_number(text, value)) return false;
  *static_cast<std::optional<T>*>(target) = value;
  return true;
}

bool store_appended_string(void* target, std::string_view text) {
  static_cast<std::vector<std::string>*>(target)->emplace_back(text);
  return true;
}

bool store_appended_id(void* target, std::string_view text) {
  uint32_t id = 0;
  if (!parse_number(text, id)) return false;
  static_cast<std::vector<uint32_t>*>(target)->push_back(id);
  return true;
}

// Calls f(piece) for each piece of a `sep`-separated list.
template <class F>
void for_each_piece(std::string_view list, char sep, F f) {
  while (!list.empty()) {
    auto cut = list.find(sep);
    f(list.substr(0, cut));
    if (cut == std::string_view::npos) break;
    list.remove_prefix(cut + 1);
  }
}

bool has_piece(std::string_view list, char sep, std::string_view wanted) {
  bool found = false;
  for_each_piece(list, sep, [&](std::string_view piece) { found = found || piece == wanted; });
  return found;
}

std::string quoted(std::string_view text) {
  std::string out = "\"";
  out.append(text);
  return out += '"';
}

bool fail(ParseResult& result, std::string message) {
  result.kind = ParseResult::Kind::error;
  result.error = std::move(message);
  return false;
}

// Appends `text` broken into lines of at most `width` columns, each starting with `indent`.
void append_wrapped(std::string& out, std::string_view text, size_t indent, size_t width) {
  size_t column = indent;
  bool first = true;
  for_each_piece(text, ' ', [&](std::string_view word) {
    if (word.empty()) return;
    if (!first && column + 1 + word.size() > width) {
      out += '\n';
      out.append(indent, ' ');
      column = indent;
    } else if (!first) {
      out += ' ';
      ++column;
    }
    out.append(word);
    column += word.size();
    first = false;
  });
  out += '\n';
}

}  // namespace

Option& Parser::add(std::string_view names, std::string_view help, Option::Kind kind,
                    std::string_view value_name, void* target, Store store) {
  Option& opt = options_.emplace_back();
  opt.names = names;
  opt.help = help;
  opt.kind = kind;
  opt.value_name = value_name;
  opt.target = target;
  opt.store = store;
  return opt;
}

Option& Parser::flag(std::string_view names, bool& target, std::string_view help) {
  return add(names, help, Option::Kind::flag, {}, &target, nullptr);
}

Option& Parser::option(std::string_view names, std::string& target, std::string_view help) {
  Option& opt = add(names, help, Option::Kind::value, "VALUE", &target, store_string);
  opt.shown_default = target;
  return opt;
}

Option& Parser::add_number(std::string_view names, std::string_view help, void* target,
                           Store store) {
  Option& opt = add(names, help, Option::Kind::value, "N", target, store);
  opt.number = true;
  return opt;
}

Option& Parser::option(std::string_view names, int& target, std::string_view help) {
  return add_number(names, help, &target, store_int);
}

Option& Parser::option(std::string_view names, std::optional<uint64_t>& target,
                       std::string_view help) {
  return add_number(names, help, &target, store_optional<uint64_t>);
}

Option& Parser::option(std::string_view names, std::optional<int64_t>& target,
                       std::string_view help) {
  return add_number(names, help, &target, store_optional<int64_t>);
}

Option& Parser::option(std::string_view names, std::optional<uint16_t>& target,
                       std::string_view help) {
  return add_number(names, help, &target, store_optional<uint16_t>);
}

Option& Parser::list(std::string_view names, std::vector<std::string>& target,
                     std::string_view help) {
  return add(names, help, Option::Kind::list, "VALUE", &target, store_appended_string);
}

Option& Parser::list(std::string_view names, std::vector<uint32_t>& target, std::string_view help) {
  Option& opt = add(names, help, Option::Kind::list, "N", &target, store_appended_id);
  opt.number = true;
  return opt;
}

Positional& Parser::positional(std::string_view name, std::string& target, std::string_view help) {
  Positional& p = positionals_.emplace_back();
  p.name = name;
  p.help = help;
  p.target = &target;
  return p;
}

void Parser::rest(std::string_view name, std::vector<std::string>& target, std::string_view help) {
  rest_name_ = name;
  rest_help_ = help;
  rest_ = &target;
}

Option* Parser::find_long(std::string_view name) {
  for (auto& opt : options_) {
    bool found = false;
    for_each_piece(opt.names, ',', [&](std::string_view piece) {
      found = found || (piece.starts_with("--") && piece.substr(2) == name);
    });
    if (found) return &opt;
  }
  return nullptr;
}

Option* Parser::find_short(char name) {
  const char wanted[] = {'-', name};
  for (auto& opt : options_)
    if (has_piece(opt.names, ',', std::string_view(wanted, 2))) return &opt;
  return nullptr;
}

bool Parser::apply(Option& opt, std::string_view shown_name,
                   std::optional<std::string_view> inline_value, std::span<const char* const> args,
                   size_t& i, ParseResult& result) {
  const std::string what =
      (opt.kind == Option::Kind::flag ? "flag " : "option ") + std::string(shown_name);
  if (opt.kind == Option::Kind::flag) {
    bool value = true;
    if (inline_value && !parse_bool(*inline_value, value))
      return fail(result, what + ": " + quoted(*inline_value) + " is not true or false");
    *static_cast<bool*>(opt.target) = value;
    return true;
  }
  std::string_view text;
  if (inline_value)
    text = *inline_value;
  else if (i + 1 < args.size())
    text = args[++i];
  else
    return fail(result, what + " needs a value");
  if (!opt.choices.empty() && !has_piece(opt.choices, '|', text)) {
    std::string allowed;
    for_each_piece(opt.choices, '|', [&](std::string_view c) {
      if (!allowed.empty()) allowed += ", ";
      allowed.append(c);
    });
    return fail(result, what + ": " + quoted(text) + " is not one of " + allowed);
  }
  if (opt.non_negative_only && text.starts_with('-'))
    return fail(result, what + ": " + quoted(text) + " is not a non-negative number");
  if (!opt.store(opt.target, text))
    return fail(result, what + ": " + quoted(text) +
                            (opt.number ? " is not a valid number" : " is not a valid value"));
  return true;
}

// One argument starting with '-' (not "-" or "--"). False on help or error (result says which).
bool Parser::apply_dashed(std::string_view arg, std::span<const char* const> args, size_t& i,
                          ParseResult& result, bool& stop) {
  const size_t dashes = arg.starts_with("--") ? 2 : 1;
  const std::string_view body = arg.substr(dashes);
  const auto eq = body.find('=');
  const std::string_view name = body.substr(0, eq);
  std::optional<std::string_view> inline_value;
  if (eq != std::string_view::npos) inline_value = body.substr(eq + 1);

  if (name == "h" || name == "help") {
    result.kind = ParseResult::Kind::help;
    return false;
  }
  // Long names with one dash or two (Go's flag package takes both), a short one with either.
  Option* opt = name.size() > 1    ? find_long(name)
                : name.size() == 1 ? find_short(name[0])
                                   : nullptr;
  if (opt) {
    if (!apply(*opt, arg.substr(0, dashes + name.size()), inline_value, args, i, result))
      return false;
    stop = opt->ends_parsing;
    return true;
  }
  // -dt (grouped flags) or -bDIR (a short option and its value in one argument).
  if (dashes == 1 && name.size() > 1) {
    for (size_t k = 0; k < body.size(); ++k) {
      Option* short_opt = find_short(body[k]);
      if (!short_opt) break;
      const char shown[] = {'-', body[k]};
      if (short_opt->kind == Option::Kind::flag) {
        *static_cast<bool*>(short_opt->target) = true;
        if (k + 1 == body.size()) return true;
        continue;
      }
      std::string_view value = body.substr(k + 1);
      return apply(*short_opt, std::string_view(shown, 2),
                   value.empty() ? std::nullopt : std::optional(value), args, i, result);
    }
  }
  return fail(result, "unknown option " + quoted(arg.substr(0, dashes + name.size())));
}

ParseResult Parser::parse(std::span<const char* const> args) {
  ParseResult result;
  size_t filled = 0;
  bool options_ended = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (!options_ended && arg == "--") {
      options_ended = true;
      continue;
    }
    if (!options_ended && arg.size() > 1 && arg[0] == '-') {
      bool stop = false;
      if (!apply_dashed(arg, args, i, result, stop)) return result;
      if (stop) {
        result.next = i + 1;
        return result;
      }
      continue;
    }
    if (filled < positionals_.size()) {
      positionals_[filled++].target->assign(arg);
      if (filled < positionals_.size()) continue;
      if (stop_after_positionals_) {
        result.next = i + 1;
        return result;
      }
      if (!rest_) continue;
      ++i;
    } else if (!rest_) {
      fail(result, "unexpected argument " + quoted(arg));
      return result;
    }
    // The rest, verbatim; one "--" right after the positionals only separates.
    if (!options_ended && i < args.size() && std::string_view(args[i]) == "--") ++i;
    rest_->assign(args.begin() + static_cast<std::ptrdiff_t>(std::min(i, args.size())), args.end());
    break;
  }
  for (size_t k = filled; k < positionals_.size(); ++k)
    if (positionals_[k].must) {
      fail(result, "missing argument " + std::string(positionals_[k].name));
      return result;
    }
  result.next = args.size();
  return result;
}

std::string Parser::help_text(std::string_view section) const {
  constexpr size_t kWidth = 100, kMaxLeft = 30;
  std::string out = "Usage: ";
  out.append(program_);
  if (!verb_.empty()) out.append(" ").append(verb_);
  if (!options_.empty()) out += " [OPTIONS]";
  for (const auto& p : positionals_) {
    out += ' ';
    if (!p.must) out += '[';
    out.append(p.name);
    if (!p.must) out += ']';
  }
  if (rest_) out.append(" [").append(rest_name_).append("...]");
  if (stop_after_positionals_) out += " [ARGS...]";
  out += "\n\n";
  append_wrapped(out, summary_, 0, kWidth);
  if (!section.empty()) out.append("\n").append(section);

  // Rows: left column (names) and help; the left column is as wide as its widest cell.
  struct Row {
    std::string left;
    std::string help;
  };
  std::vector<Row> arguments, options;
  for (const auto& p : positionals_)
    arguments.push_back({std::string(p.name), std::string(p.help)});
  if (rest_) arguments.push_back({std::string(rest_name_) + "...", std::string(rest_help_)});
  for (const auto& opt : options_) {
    Row row;
    // Long-only options line up with the long names after a short one ("-b, --bundle").
    row.left = opt.names.starts_with("--") ? "    " : "";
    for_each_piece(opt.names, ',', [&](std::string_view piece) {
      if (!row.left.empty() && row.left.back() != ' ') row.left += ", ";
      row.left.append(piece);
    });
    if (opt.kind != Option::Kind::flag) row.left.append(" ").append(opt.value_name);
    row.help = opt.help;
    if (!opt.choices.empty()) {
      row.help += row.help.empty() ? "" : " ";
      row.help += "(" + std::string(opt.choices) + ")";
    }
    if (opt.kind == Option::Kind::list) row.help += " (repeatable)";
    if (!opt.shown_default.empty()) row.help += " (default: " + opt.shown_default + ")";
    options.push_back(std::move(row));
  }
  options.push_back({"-h, --help", "print this help"});

  size_t left_width = 0;
  for (const auto* rows : {&arguments, &options})
    for (const auto& row : *rows)
      if (row.left.size() <= kMaxLeft) left_width = std::max(left_width, row.left.size());
  const size_t help_column = 2 + left_width + 2;
  auto append_rows = [&](const char* title, const std::vector<Row>& rows) {
    if (rows.empty()) return;
    out.append("\n").append(title).append(":\n");
    for (const auto& row : rows) {
      out.append("  ").append(row.left);
      if (row.left.size() > left_width) {
        out.append("\n").append(help_column, ' ');
      } else {
        out.append(help_column - 2 - row.left.size(), ' ');
      }
      append_wrapped(out, row.help, help_column, kWidth);
    }
  };
  append_rows("Arguments", arguments);
  append_rows("Options", options);
  if (!footer_.empty()) {
    out += '\n';
    append_wrapped(out, footer_, 0, kWidth);
  }
  return out;
}

}  // namespace minirun::cmd::argv
