#pragma once
// Reading the words of a shell command as package tools read them: options,
// their values, positional arguments; and the paths they name.
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shell/script.h"

namespace dfopt::transforms::deps_first {

// The value of word `index`, or "" past the last word.
const std::string& word(const shell::Command& command, size_t index);

bool isOption(std::string_view text);

// Does one of the options `names` appear from word `from` on ("--x" also as
// "--x=value")?
bool hasOption(const shell::Command& command, size_t from, std::initializer_list<std::string_view> names);

// The value of one of the options `names` at word `i` ("-r x",
// "--requirement=x", and "-rx" when `glued`); `i` moves past a value given
// as its own word.
std::optional<std::string> optionValue(const shell::Command& command, size_t& i,
                                       std::initializer_list<std::string_view> names, bool glued = true);

// Indexes of the words from `from` on that are not options, nor the values
// of the options in `withValue` given as their own word.
std::vector<size_t> positionals(const shell::Command& command, size_t from,
                                std::initializer_list<std::string_view> withValue = {});

// The words [from, to) as written, joined by spaces.
std::string rawWords(const shell::Command& command, size_t from, size_t to);

// `path` relative to the absolute directory `base` ("." when equal), or
// nothing when it lies outside it.
std::optional<std::string> relativeTo(std::string_view path, std::string_view base);

// A package argument that is a local path ("./lib", "dist/x.whl", "file:..."),
// not a package name or a URL.
bool isLocalPath(std::string_view text);

// "git+https://...", "hg+...": a package fetched from version control.
bool isVersionControlUrl(std::string_view text);

}  // namespace dfopt::transforms::deps_first
