#pragma once
// The properties every run of `fix` keeps, checked over the corpora by the
// tests and on generated input by the pipeline fuzz target
// (tests/fuzz/pipeline.cpp). No test framework here: the fuzz build links it.
#include <optional>
#include <string>

#include "context/build_context.h"
#include "engine/transform.h"

namespace dfopt::testing {

// Every comment line of `before` (trimmed) is a line of `after`, as often;
// `exceptIgnores` leaves dfopt's own ignores (engine/ignores.h) out.
bool keepsEveryComment(const std::string& before, const std::string& after, bool exceptIgnores = false);

// The first property the whole pipeline breaks on `text`, as a sentence;
// nothing when the input does not parse or every property holds: the run
// succeeds, its output parses, a second run (with the files the first
// wrote) changes nothing, every comment line survives (but the ignores the
// pipeline removes as unused or faulty), and the findings'
// edits made replacements of the input (what `check --format json` prints)
// give the output.
std::optional<std::string> brokenPipelineProperty(const std::string& text,
                                                  const context::BuildContext& context,
                                                  const engine::Options& options = {});

}  // namespace dfopt::testing
