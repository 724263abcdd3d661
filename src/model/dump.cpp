#include "model/dump.h"

#include <nlohmann/json.hpp>

namespace dfopt::model {
namespace {

using nlohmann::ordered_json;

ordered_json rangeJson(const Dockerfile& file, ByteRange range) {
  Position start = file.position(range.begin);
  Position end = file.position(range.end);
  return {{"start", range.begin},
          {"end", range.end},
          {"from", {{"line", start.line}, {"column", start.column}}},
          {"to", {{"line", end.line}, {"column", end.column}}}};
}

ordered_json commentsJson(const Dockerfile& file, const std::vector<Comment>& comments) {
  ordered_json list = ordered_json::array();
  for (const Comment& c : comments) {
    list.push_back({{"text", c.text}, {"range", rangeJson(file, c.range)}});
  }
  return list;
}

ordered_json instructionJson(const Dockerfile& file, const Instruction& instruction) {
  ordered_json json;
  json["keyword"] = instruction.keyword;
  json["command"] = instruction.command;
  json["range"] = rangeJson(file, instruction.range);
  json["keywordRange"] = rangeJson(file, instruction.keywordRange);
  json["lines"] = {instruction.startLine, instruction.endLine};
  ordered_json flags = ordered_json::array();
  for (const Flag& flag : instruction.flags) {
    ordered_json f = {{"name", flag.name}};
    if (flag.hasValue) f["value"] = flag.value;
    f["range"] = rangeJson(file, flag.range);
    flags.push_back(std::move(f));
  }
  json["flags"] = std::move(flags);
  json["form"] = instruction.jsonForm ? "json" : "shell";
  json["argumentsText"] = instruction.argumentsText();
  json["argumentsRange"] = rangeJson(file, instruction.argumentsRange);
  ordered_json args = ordered_json::array();
  for (const Word& word : instruction.arguments) {
    args.push_back({{"text", word.text}, {"range", rangeJson(file, word.range)}});
  }
  json["arguments"] = std::move(args);
  if (instruction.trigger) json["trigger"] = instructionJson(file, *instruction.trigger);
  ordered_json heredocs = ordered_json::array();
  for (const Heredoc& h : instruction.heredocs) {
    heredocs.push_back({{"name", h.name},
                        {"fileDescriptor", h.fileDescriptor},
                        {"expand", h.expand},
                        {"chomp", h.chomp},
                        {"content", h.content},
                        {"range", rangeJson(file, h.range)}});
  }
  json["heredocs"] = std::move(heredocs);
  json["comments"] = commentsJson(file, instruction.comments);
  json["innerComments"] = commentsJson(file, instruction.innerComments);
  json["buildkit"] = "(" + buildkit::dumpInstruction(instruction.buildkit) + ")";
  return json;
}

}  // namespace

std::string buildkitDump(const Dockerfile& file) {
  std::string out;
  for (const Instruction& instruction : file.instructions) {
    out += "(" + buildkit::dumpInstruction(instruction.buildkit) + ")\n";
  }
  return out;
}

std::string jsonDump(const Dockerfile& file) {
  ordered_json json;
  json["escape"] = std::string(1, file.escape);
  json["byteOrderMark"] = file.hasByteOrderMark;
  json["lineEnding"] = file.crlf ? "crlf" : "lf";
  json["finalNewline"] = file.finalNewline;
  ordered_json directives = ordered_json::array();
  for (const Directive& d : file.directives) {
    directives.push_back({{"name", d.name}, {"value", d.value}, {"range", rangeJson(file, d.range)}});
  }
  json["directives"] = std::move(directives);
  ordered_json stages = ordered_json::array();
  for (const Stage& s : file.stages) {
    ordered_json stage = {{"index", s.index}, {"baseImage", s.baseImage}};
    if (!s.name.empty()) stage["name"] = s.name;
    if (!s.platform.empty()) stage["platform"] = s.platform;
    stage["instructions"] = {s.from, s.end};
    stages.push_back(std::move(stage));
  }
  json["stages"] = std::move(stages);
  ordered_json instructions = ordered_json::array();
  for (const Instruction& i : file.instructions) instructions.push_back(instructionJson(file, i));
  json["instructions"] = std::move(instructions);
  json["comments"] = commentsJson(file, file.comments);
  ordered_json warnings = ordered_json::array();
  for (const Warning& w : file.warnings) {
    Position p = file.position(w.offset);
    warnings.push_back({{"line", p.line}, {"column", p.column}, {"message", w.message}});
  }
  json["warnings"] = std::move(warnings);
  return json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace dfopt::model
