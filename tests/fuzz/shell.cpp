// The shell tokenizer: any script gives commands whose words point at
// their own bytes, and a value quoted with shell::quote reads back as itself.
#include <cstdint>
#include <string>

#include "check.h"
#include "shell/script.h"

using namespace dfopt;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  shell::Script script = shell::parseScript(text);
  for (const shell::Command& command : script.commands) {
    fuzz::require(command.begin <= command.end && command.end <= size, "a command lies in the script");
    for (const auto* words : {&command.assignments, &command.words}) {
      for (const shell::Word& word : *words) {
        fuzz::require(word.begin <= word.end && word.end <= size, "a word lies in the script");
        fuzz::require(text.substr(word.begin, word.end - word.begin) == word.raw,
                      "a word's raw text is its bytes");
      }
    }
  }
  if (text.find('\0') != std::string_view::npos) return 0;
  shell::Script quoted = shell::parseScript("echo " + shell::quote(text));
  fuzz::require(!quoted.complex, "a quoted value is a plain word");
  fuzz::require(quoted.commands.size() == 1 && quoted.commands[0].words.size() == 2,
                "a quoted value is one word");
  fuzz::require(quoted.commands[0].words[1].value == text, "a quoted value reads back as itself");
  return 0;
}
