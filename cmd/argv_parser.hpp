// A small declarative argv parser for runc's command line: options bound to variables,
// positionals, and a trailing command. Pure: it never prints or exits, so the CLI decides what
// help and errors look like, and the unit tests can check every form.
//
// Accepted forms, as runc (urfave/cli, Go's flag package) and CLI11 accepted them:
//   --opt v, --opt=v, -o v, -ov, -o=v, single-dash long names (-bundle v), --o for a short o;
//   bool flags: --flag, --flag=true|false (also 1|0|t|f), grouped short flags (-dt);
//   options and positionals in any order; "--" ends the options.
// A rest() target takes every argument after the last positional, dash-arguments included
// (`exec ID ls -l`), minus one leading "--".
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace minirun::cmd::argv {

// Turns an option's text into its target's value; false when the text is not a valid one.
using Store = bool (*)(void* target, std::string_view text);

struct Option {
  enum class Kind : uint8_t { flag, value, list };

  std::string_view names;  // "-b,--bundle": comma-separated, dashes included
  std::string_view help;
  std::string_view value_name;  // "VALUE", "N": shown in the help
  void* target = nullptr;
  Store store = nullptr;
  Kind kind = Kind::value;
  bool number = false;
  bool non_negative_only = false;
  bool ends_parsing = false;  // --version: parsing stops, required positionals are not asked
  std::string_view choices;   // "text|json"; empty: any value
  std::string shown_default;  // the target's value when declared (short: no allocation)

  // The value must be one of these, '|'-separated: "table|json".
  Option& one_of(std::string_view list) {
    choices = list;
    return *this;
  }
  Option& non_negative() {
    non_negative_only = true;
    return *this;
  }
  Option& stops_parsing() {
    ends_parsing = true;
    return *this;
  }
};

struct Positional {
  std::string_view name;  // "ID"
  std::string_view help;
  std::string* target = nullptr;
  bool must = false;

  Positional& required() {
    must = true;
    return *this;
  }
};

struct ParseResult {
  enum class Kind : uint8_t { ok, help, error };
  Kind kind = Kind::ok;
  std::string error;  // one line, without any program prefix
  size_t next = 0;    // with stop_after_positionals(): index of the first argument not parsed

  bool ok() const { return kind == Kind::ok; }
};

// Declarations return a reference for chaining (`.required()`, `.one_of(...)`) that is valid
// until the next declaration.
class Parser {
 public:
  // program: "minirun", verb: "run" or empty for the global options; both appear in the usage.
  Parser(std::string_view program, std::string_view verb, std::string_view summary)
      : program_(program), verb_(verb), summary_(summary) {}

  Option& flag(std::string_view names, bool& target, std::string_view help);
  Option& option(std::string_view names, std::string& target, std::string_view help);
  Option& option(std::string_view names, int& target, std::string_view help);
  Option& option(std::string_view names, std::optional<uint64_t>& target, std::string_view help);
  Option& option(std::string_view names, std::optional<int64_t>& target, std::string_view help);
  Option& option(std::string_view names, std::optional<uint16_t>& target, std::string_view help);
  // Repeatable: each use appends (-e A -e B).
  Option& list(std::string_view names, std::vector<std::string>& target, std::string_view help);
  Option& list(std::string_view names, std::vector<uint32_t>& target, std::string_view help);

  Positional& positional(std::string_view name, std::string& target, std::string_view help);
  // Everything after the last positional (exec's COMMAND..., ps's ps options).
  void rest(std::string_view name, std::vector<std::string>& target, std::string_view help);
  // Parsing ends once the positionals are filled; the caller takes args from result.next on
  // (the global options before the verb).
  void stop_after_positionals() { stop_after_positionals_ = true; }
  void footer(std::string_view text) { footer_ = text; }

  ParseResult parse(std::span<const char* const> args);

  // Usage, summary, arguments, options (with -h, --help), footer; `section` (e.g. the list of
  // verbs) goes between the summary and the arguments.
  std::string help_text(std::string_view section = {}) const;

 private:
  Option& add(std::string_view names, std::string_view help, Option::Kind kind,
              std::string_view value_name, void* target, Store store);
  Option& add_number(std::string_view names, std::string_view help, void* target, Store store);
  Option* find_long(std::string_view name);
  Option* find_short(char name);
  // Applies one option; `inline_value` is the text after '=' (or after a short name), if any.
  // May take the next argument as the value (advancing i).
  bool apply(Option& opt, std::string_view shown_name, std::optional<std::string_view> inline_value,
             std::span<const char* const> args, size_t& i, ParseResult& result);
  bool apply_dashed(std::string_view arg, std::span<const char* const> args, size_t& i,
                    ParseResult& result, bool& stop);

  std::string_view program_, verb_, summary_, footer_;
  std::vector<Option> options_;
  std::vector<Positional> positionals_;
  std::string_view rest_name_, rest_help_;
  std::vector<std::string>* rest_ = nullptr;
  bool stop_after_positionals_ = false;
};

}  // namespace minirun::cmd::argv
