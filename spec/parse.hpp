// config.json text -> spec::Config. nlohmann_json stays inside spec/ and out of this header.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include "spec/config.hpp"

namespace minirun::spec {

// A config problem located by an RFC 6901 JSON pointer ("/process/args/0").
// what() is the one line the user sees: `config.json: /process/args/0: expected a string`.
class ConfigError : public std::runtime_error {
 public:
  ConfigError(std::string pointer, std::string detail);
  const std::string& pointer() const { return pointer_; }
  const std::string& detail() const { return detail_; }

 private:
  std::string pointer_;
  std::string detail_;
};

// Escapes one reference token for a JSON pointer ("~" -> "~0", "/" -> "~1").
std::string json_pointer_token(std::string_view token);
// The pointer of a member ("/linux" + "sysctl") or an array element ("/mounts" + 2).
std::string json_pointer_child(std::string_view pointer, std::string_view key);
std::string json_pointer_child(std::string_view pointer, size_t index);

// Throws ConfigError. Unknown fields are ignored, as the spec requires.
Config parse_config(std::string_view json_text);

// A standalone process object (`exec --process FILE`), read with config.json's process rules.
// Throws ConfigError; pointers are relative to the process object ("/args").
Process parse_process(std::string_view json_text);

// A LinuxResources object alone, as `update --resources` reads it. Throws ConfigError.
Resources parse_resources(std::string_view json_text);

// A file of the bundle's (config.json, an exec process file), which its owner may have made
// a FIFO or a device: anything but a regular file is refused without opening it, and the
// open cannot block. Throws ConfigError with an empty pointer: "PATH is a FIFO, not a regular
// file", "cannot read PATH: <strerror>".
std::string read_bundle_file(const std::string& path);

// Reads and parses a config file; an unreadable file is a ConfigError with an empty pointer.
Config load_config(const std::string& path);

}  // namespace minirun::spec
