#pragma once
// Line numbers in a finding's message. A transform reads the text the steps
// before it wrote, where an inserted line moves every line after it; the
// user reads the input. So a message names a line by an offset in the text
// the transform reads, and the pipeline writes the input's line number
// there when it maps the finding to the input.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "model/dockerfile.h"

namespace dfopt::engine {

// The line of `offset` (in the text the transform reads), for a message.
std::string lineMention(uint32_t offset);

// `message` with each lineMention written as the number `lineOf` gives its
// offset.
std::string writeLineMentions(std::string_view message, const std::function<uint32_t(uint32_t)>& lineOf);
// The same with the lines of `file` itself, for a message about a file no
// step changed (dfopt graph, and the unit tests).
std::string writeLineMentions(std::string_view message, const model::Dockerfile& file);

}  // namespace dfopt::engine
