#pragma once
// What a compiled program reads at run time from its working directory:
// templates, static files, migrations, configuration next to the binary.
// The split keeps them in the production stage, copied from the build stage
// to the same paths under the same WORKDIR, or refuses when it cannot tell.
#include <string>
#include <string_view>
#include <vector>

#include "transforms/multi_stage/job.h"

namespace dfopt::transforms::multi_stage {

struct RuntimeFile {
  std::string path;  // absolute, in the build stage and the production stage alike
  bool directory = false;
};

// What the production stage of a compiled program keeps from the build
// stage's final WORKDIR, where the program runs (`artifact` is what the
// build makes; nothing that holds it is kept):
//  - the well-known run-time directories there (templates/, static/,
//    public/, assets/, migrations/, config/, views/) and configuration
//    files by their usual names (config.yaml, application.properties...);
//  - the files and directories the program's sources (Go, Rust, Java,
//    Kotlin) name in string literals, relative to it or below it, up to
//    the first component with a pattern (`template.ParseGlob("templates/*")`
//    keeps templates/), and `NAME.yaml`... for a literal "NAME" (viper's
//    config name); .env when the sources load it implicitly
//    (`godotenv.Load()`, `dotenv()`);
//  - the directories the stage makes there with mkdir, for the app to write in.
// Only what the build stage has: brought from the context by a COPY (not
// dockerignored, not removed by a later rm), or made by mkdir. A directory
// is kept only when it holds more than source files, and for Go not when
// //go:embed puts it inside the binary. Copying a directory the program
// does not read costs a little space; missing one it reads breaks it, so
// the rule errs on copying. It refuses when the program looks for files
// next to its own binary (os.Executable, current_exe), which the split
// moves, and when there are too many sources to read.
std::vector<RuntimeFile> runtimeFiles(const Job& job, std::string_view artifact);

// One COPY --from the build stage for each, to the same path, written
// relative to the production stage's WORKDIR (the build stage's final one).
std::string runtimeFileCopies(const Job& job, const std::vector<RuntimeFile>& files);

// "templates/ and config.yaml", for the summary.
std::string runtimeFileList(const Job& job, const std::vector<RuntimeFile>& files);

}  // namespace dfopt::transforms::multi_stage
