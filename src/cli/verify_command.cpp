// `dfopt verify`: proves a rewrite with real builds. The original and the
// rewritten Dockerfile are built from copies of the context in a temporary
// folder (the user's files are never written), a source file is edited in both
// copies and both are built again, and the images are compared: build result,
// size, layers, steps re-run after the edit, and the uid of the final user.
// Builders are run as programs with argument vectors, never through a shell.
#include "cli/verify_command.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <regex>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "cli/input.h"
#include "cli/rewrite.h"

extern char** environ;

namespace dfopt::cli {
namespace fs = std::filesystem;

namespace {

struct VerifyOptions {
  std::string dockerfile = "Dockerfile";
  std::string builder = "auto";
  std::string touch;  // relative to the context; empty: picked
  TransformOptions transforms;
};

// ------------------------------------------------------------ processes

struct ProcessResult {
  bool started = false;
  int status = -1;     // exit status; 128 + signal when killed
  std::string output;  // stdout and stderr, interleaved
  double seconds = 0;

  bool ok() const { return started && status == 0; }
};

// Runs argv[0] (a path, or a name looked up on PATH) with stdin from
// /dev/null, collecting stdout and stderr.
ProcessResult runProcess(const std::vector<std::string>& argv) {
  ProcessResult result;
  auto start = std::chrono::steady_clock::now();
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return result;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDERR_FILENO);
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  int spawned = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  if (spawned != 0) {
    ::close(fds[0]);
    result.output = std::strerror(spawned);
    return result;
  }
  result.started = true;
  std::array<char, 1 << 16> buffer;
  for (;;) {
    ssize_t n = ::read(fds[0], buffer.data(), buffer.size());
    if (n > 0) {
      result.output.append(buffer.data(), static_cast<size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

std::optional<std::string> findOnPath(const std::string& name) {
  const char* path = std::getenv("PATH");
  if (!path) return std::nullopt;
  std::stringstream entries(path);
  std::string dir;
  while (std::getline(entries, dir, ':')) {
    if (dir.empty()) continue;
    fs::path candidate = fs::path(dir) / name;
    std::error_code ec;
    if (fs::is_regular_file(candidate, ec) && ::access(candidate.c_str(), X_OK) == 0)
      return candidate.string();
  }
  return std::nullopt;
}

std::string lastLines(const std::string& text, size_t count) {
  size_t end = text.size();
  while (end > 0 && text[end - 1] == '\n') --end;
  size_t begin = end;
  for (size_t lines = 0; begin > 0 && lines < count; --begin) {
    if (text[begin - 1] == '\n' && ++lines == count) break;
  }
  return text.substr(begin, end - begin);
}

std::string firstLine(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  return line.empty() ? "no output" : line;
}

// ------------------------------------------------------------- builders

enum class BuilderKind { kDocker, kPodman, kBuildah };

struct Builder {
  BuilderKind kind;
  std::string name;     // docker, podman, buildah
  std::string program;  // its path
};

// auto: docker (when its daemon answers), then podman, then buildah. Prints
// why and returns nothing when none can be used.
std::optional<Builder> chooseBuilder(const std::string& wanted) {
  const std::vector<std::pair<BuilderKind, std::string>> all = {
      {BuilderKind::kDocker, "docker"}, {BuilderKind::kPodman, "podman"}, {BuilderKind::kBuildah, "buildah"}};
  std::vector<std::string> notes;
  for (const auto& [kind, name] : all) {
    if (wanted != "auto" && wanted != name) continue;
    auto program = findOnPath(name);
    if (!program) {
      notes.push_back(fmt::format("{} is not on PATH", name));
      continue;
    }
    if (kind == BuilderKind::kDocker) {
      ProcessResult probe = runProcess({*program, "version", "--format", "{{.Server.Version}}"});
      if (!probe.ok()) {
        notes.push_back(fmt::format("docker is on PATH but its daemon does not answer ({})",
                                    firstLine(lastLines(probe.output, 1))));
        continue;
      }
    }
    return Builder{kind, name, *program};
  }
  std::cerr << fmt::format("error: no container builder is available: {}\n", fmt::join(notes, "; "));
  if (wanted == "auto")
    std::cerr << "dfopt verify needs docker (with a running daemon), podman or buildah on PATH\n";
  return std::nullopt;
}

std::vector<std::string> buildCommand(const Builder& builder, const fs::path& dockerfile,
                                      const std::string& tag, const fs::path& context) {
  switch (builder.kind) {
    case BuilderKind::kDocker:
      return {builder.program, "build", "-f", dockerfile.string(), "-t", tag, context.string()};
    case BuilderKind::kPodman:
      return {builder.program,     "build", "--layers", "--format",      "docker", "-f",
              dockerfile.string(), "-t",    tag,        context.string()};
    case BuilderKind::kBuildah:
      return {builder.program,     "bud", "--layers", "--format",      "docker", "-f",
              dockerfile.string(), "-t",  tag,        context.string()};
  }
  return {};
}

// All image ids the builder's store holds, intermediate ones included.
std::set<std::string> imageIds(const Builder& builder) {
  std::vector<std::string> argv = {builder.program, "images", "-a", "-q", "--no-trunc"};
  ProcessResult listed = runProcess(argv);
  std::set<std::string> ids;
  if (!listed.ok()) return ids;
  std::stringstream lines(listed.output);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty()) ids.insert(line);
  }
  return ids;
}

// "245 MB", "1.2GB", "512kB" (go-units' decimal sizes, as buildah prints).
std::optional<double> parseHumanSize(const std::string& text) {
  static const std::regex pattern(R"(^\s*([0-9.]+)\s*([kKMGTP]?B)\s*$)");
  std::smatch match;
  if (!std::regex_match(text, match, pattern)) return std::nullopt;
  double value = std::stod(match[1]);
  const std::string unit = match[2];
  const std::map<std::string, double> scale = {{"B", 1},    {"kB", 1e3},  {"KB", 1e3}, {"MB", 1e6},
                                               {"GB", 1e9}, {"TB", 1e12}, {"PB", 1e15}};
  auto it = scale.find(unit);
  return it == scale.end() ? std::nullopt : std::optional<double>(value * it->second);
}

struct ImageFacts {
  std::optional<double> size;  // bytes
  std::optional<int> layers;
  std::string user;  // the image's USER, as written ("" is root)
};

ImageFacts inspectImage(const Builder& builder, const std::string& tag) {
  ImageFacts facts;
  if (builder.kind == BuilderKind::kBuildah) {
    ProcessResult layers = runProcess({builder.program, "inspect", "--type", "image", "--format",
                                       "{{len .Docker.RootFS.DiffIDs}}|{{.Docker.Config.User}}", tag});
    if (layers.ok()) {
      std::string out = layers.output.substr(0, layers.output.find('\n'));
      size_t bar = out.find('|');
      facts.layers = std::atoi(out.substr(0, bar).c_str());
      if (bar != std::string::npos) facts.user = out.substr(bar + 1);
    }
    ProcessResult size = runProcess({builder.program, "images", "--format", "{{.Size}}", tag});
    if (size.ok()) facts.size = parseHumanSize(size.output.substr(0, size.output.find('\n')));
    return facts;
  }
  ProcessResult out = runProcess({builder.program, "image", "inspect", "--format",
                                  "{{.Size}}|{{len .RootFS.Layers}}|{{.Config.User}}", tag});
  if (!out.ok()) return facts;
  std::string line = out.output.substr(0, out.output.find('\n'));
  size_t first = line.find('|');
  size_t second = line.find('|', first == std::string::npos ? first : first + 1);
  if (first == std::string::npos || second == std::string::npos) return facts;
  facts.size = std::strtod(line.substr(0, first).c_str(), nullptr);
  facts.layers = std::atoi(line.substr(first + 1, second - first - 1).c_str());
  facts.user = line.substr(second + 1);
  return facts;
}

// The first regular file of a tar stream (docker/podman cp ... -).
std::optional<std::string> firstFileOfTar(const std::string& tar) {
  for (size_t offset = 0; offset + 512 <= tar.size();) {
    const char* header = tar.data() + offset;
    if (header[0] == '\0') return std::nullopt;
    size_t size = std::strtoull(std::string(header + 124, 12).c_str(), nullptr, 8);
    char type = header[156];
    if ((type == '0' || type == '\0') && offset + 512 + size <= tar.size())
      return tar.substr(offset + 512, size);
    offset += 512 + (size + 511) / 512 * 512;
  }
  return std::nullopt;
}

// /etc/passwd of an image, when the builder can show it.
std::optional<std::string> readPasswd(const Builder& builder, const std::string& tag) {
  if (builder.kind == BuilderKind::kBuildah) {
    ProcessResult from = runProcess({builder.program, "from", "--pull-never", tag});
    if (!from.ok()) return std::nullopt;
    std::string container = lastLines(from.output, 1);
    std::optional<std::string> passwd;
    ProcessResult mount = runProcess({builder.program, "mount", container});
    if (mount.ok()) {
      std::ifstream in(fs::path(lastLines(mount.output, 1)) / "etc/passwd", std::ios::binary);
      if (in) passwd = std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
      runProcess({builder.program, "umount", container});
    }
    runProcess({builder.program, "rm", container});
    return passwd;
  }
  ProcessResult created = runProcess({builder.program, "create", tag, "dfopt-verify"});
  if (!created.ok()) return std::nullopt;
  std::string container = lastLines(created.output, 1);
  ProcessResult copied = runProcess({builder.program, "cp", container + ":/etc/passwd", "-"});
  runProcess({builder.program, "rm", "-f", container});
  return copied.ok() ? firstFileOfTar(copied.output) : std::nullopt;
}

struct FinalUser {
  std::string name;         // as the image says, or "root"
  std::optional<long> uid;  // resolved
  bool root() const { return uid ? *uid == 0 : name == "root"; }
};

FinalUser resolveUser(const Builder& builder, const std::string& tag, const std::string& user) {
  std::string name = user.substr(0, user.find(':'));
  if (name.empty()) return {"root", 0};
  if (std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return {name, std::atol(name.c_str())};
  }
  if (name == "root") return {name, 0};
  FinalUser resolved{name, std::nullopt};
  if (auto passwd = readPasswd(builder, tag)) {
    std::stringstream lines(*passwd);
    std::string line;
    while (std::getline(lines, line)) {
      std::vector<std::string> fields;
      std::stringstream parts(line);
      std::string field;
      while (std::getline(parts, field, ':')) fields.push_back(field);
      if (fields.size() >= 3 && fields[0] == name) resolved.uid = std::atol(fields[2].c_str());
    }
  }
  return resolved;
}

// ---------------------------------------------------------------- steps

struct StepCount {
  int total = 0;                                // steps other than FROM
  int rerun = 0;                                // of those, not served from the cache
  int runRerun = 0;                             // RUN steps among them
  std::vector<std::string> dependencyInstalls;  // RUN steps among them that install dependencies
};

struct BuildStep {
  std::string stage;  // as the output names it; empty when it does not
  std::string instruction;
  bool cached = false;
};

std::string upperKeyword(const std::string& instruction) {
  std::string keyword = instruction.substr(0, instruction.find(' '));
  std::transform(keyword.begin(), keyword.end(), keyword.begin(), ::toupper);
  return keyword;
}

// Does this RUN install dependencies (pip, poetry, npm, yarn, pnpm, go mod,
// bundler, composer, cargo)? `pip install --no-deps` installs only what it
// names; a `poetry install` after a `poetry install --no-root` of the same
// stage installs only the project.
bool installsDependencies(const BuildStep& step, const std::vector<BuildStep>& earlierInStage) {
  static const std::regex install(
      R"(\b(pip3?|python3? -m pip) install\b|\bpoetry install\b|\bnpm (ci|install|i)\b|)"
      R"(\byarn( install)?\s*($|&&|;|--)|\bpnpm (install|i)\b|\bgo mod download\b|\bgo get\b|)"
      R"(\bbundle install\b|\bcomposer install\b|\bcargo fetch\b)");
  static const std::regex pip(R"(\bpip3? install\b)");
  static const std::regex requirementFile(R"(\s(-r|--requirement)\s)");
  static const std::regex poetry(R"(\bpoetry install\b)");
  static const std::regex poetryNoRoot(R"(\bpoetry install\b.*--no-root)");
  const std::string& text = step.instruction;
  if (upperKeyword(text) != "RUN" || !std::regex_search(text, install)) return false;
  if (std::regex_search(text, pip) && text.find("--no-deps") != std::string::npos &&
      !std::regex_search(text, requirementFile)) {
    return false;
  }
  if (std::regex_search(text, poetry)) {
    if (text.find("--only-root") != std::string::npos) return false;
    for (const BuildStep& earlier : earlierInStage) {
      if (std::regex_search(earlier.instruction, poetryNoRoot)) return false;
    }
  }
  return true;
}

// The steps of a build, from the output of BuildKit (`#5 [build 2/4] RUN ...`
// then `#5 CACHED`), the classic docker builder (`Step 2/4 : RUN ...` then
// ` ---> Using cache`) or podman/buildah (`[1/2] STEP 2/4: RUN ...` then
// `--> Using cache ...`).
std::vector<BuildStep> parseSteps(const std::string& output) {
  static const std::regex buildkitStep(R"(^#(\d+) \[([^\]]*?)\s*\d+/\d+\] (.*)$)");
  static const std::regex buildkitCached(R"(^#(\d+) CACHED\s*$)");
  static const std::regex otherStep(R"(^(\[[^\]]*\] )?(?:STEP \d+/\d+: |Step \d+/\d+ : )(.*)$)");
  std::vector<BuildStep> steps;
  std::map<std::string, size_t> byBuildkitId;
  std::stringstream lines(output);
  std::string line;
  std::smatch match;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (std::regex_match(line, match, buildkitStep)) {
      if (!byBuildkitId.contains(match[1])) {
        byBuildkitId[match[1]] = steps.size();
        steps.push_back({match[2], match[3]});
      }
    } else if (std::regex_match(line, match, buildkitCached)) {
      auto it = byBuildkitId.find(match[1]);
      if (it != byBuildkitId.end()) steps[it->second].cached = true;
    } else if (std::regex_match(line, match, otherStep)) {
      steps.push_back({match[1], match[2]});
    } else if (!steps.empty() && line.find("Using cache") != std::string::npos) {
      steps.back().cached = true;
    }
  }
  return steps;
}

StepCount countSteps(const std::string& output) {
  std::vector<BuildStep> steps = parseSteps(output);
  StepCount count;
  std::map<std::string, std::vector<BuildStep>> stages;
  std::string unnamedStage = "0";  // outputs that name no stage: a FROM starts one
  for (const BuildStep& step : steps) {
    std::string keyword = upperKeyword(step.instruction);
    if (keyword == "FROM" && step.stage.empty()) unnamedStage = std::to_string(std::stoi(unnamedStage) + 1);
    std::vector<BuildStep>& stage = stages[step.stage.empty() ? unnamedStage : step.stage];
    if (keyword == "FROM") continue;
    ++count.total;
    if (!step.cached) {
      ++count.rerun;
      if (keyword == "RUN") ++count.runRerun;
      if (installsDependencies(step, stage)) count.dependencyInstalls.push_back(step.instruction);
    }
    stage.push_back(step);
  }
  return count;
}

// --------------------------------------------------------- the context

// Files that name dependencies rather than hold source.
bool isManifest(const std::string& name) {
  static const std::set<std::string> names = {"pyproject.toml", "poetry.lock",       "Pipfile",
                                              "Pipfile.lock",   "setup.py",          "setup.cfg",
                                              "package.json",   "package-lock.json", "npm-shrinkwrap.json",
                                              "yarn.lock",      "pnpm-lock.yaml",    "go.mod",
                                              "go.sum",         "Gemfile",           "Gemfile.lock",
                                              "Cargo.toml",     "Cargo.lock",        "pom.xml",
                                              "build.gradle",   "build.gradle.kts",  "composer.json",
                                              "composer.lock",  ".dockerignore"};
  if (names.contains(name)) return true;
  if (name.starts_with("requirements") && name.ends_with(".txt")) return true;
  return name == "Dockerfile" || name.ends_with(".Dockerfile") || name.starts_with("Dockerfile.") ||
         name == "Containerfile";
}

const std::set<std::string>& sourceExtensions() {
  static const std::set<std::string> extensions = {
      ".py",   ".js",  ".mjs",   ".cjs",   ".ts", ".tsx",  ".jsx", ".go",  ".rb",    ".php",
      ".java", ".kt",  ".scala", ".rs",    ".c",  ".cc",   ".cpp", ".h",   ".hpp",   ".cs",
      ".ex",   ".exs", ".erl",   ".swift", ".sh", ".html", ".css", ".vue", ".svelte"};
  return extensions;
}

// A file the image is built from that is source, not a dependency list:
// source extensions first, shallow paths first; nothing when there is none.
std::optional<std::string> pickTouchFile(const context::BuildContext& context,
                                         const context::Dockerignore& rewrittenIgnore) {
  std::vector<std::string> source, other;
  for (const std::string& path : context.files()) {
    std::string name = fs::path(path).filename().string();
    if (isManifest(name) || name.starts_with('.')) continue;
    if (context.dockerignore().excludes(path) || rewrittenIgnore.excludes(path)) continue;
    if (fs::path(path).begin()->string().starts_with('.')) continue;  // .git, .venv, ...
    (sourceExtensions().contains(fs::path(path).extension().string()) ? source : other).push_back(path);
  }
  auto byDepth = [](const std::string& a, const std::string& b) {
    auto depth = [](const std::string& p) { return std::count(p.begin(), p.end(), '/'); };
    return std::make_pair(depth(a), a) < std::make_pair(depth(b), b);
  };
  std::sort(source.begin(), source.end(), byDepth);
  std::sort(other.begin(), other.end(), byDepth);
  if (!source.empty()) return source.front();
  if (!other.empty()) return other.front();
  return std::nullopt;
}

// An edit that changes the file's content without changing what it does.
std::string touchSuffix(const std::string& path) {
  static const std::set<std::string> hash = {".py",   ".rb",   ".sh",  ".ex", ".exs",
                                             ".toml", ".yaml", ".yml", ".txt"};
  static const std::set<std::string> slashes = {
      ".js", ".mjs", ".cjs", ".ts", ".tsx", ".jsx", ".go",    ".java", ".kt",  ".scala", ".rs",
      ".c",  ".cc",  ".cpp", ".h",  ".hpp", ".cs",  ".swift", ".php",  ".css", ".vue",   ".svelte"};
  std::string extension = fs::path(path).extension().string();
  if (hash.contains(extension)) return "\n# touched by dfopt verify\n";
  if (slashes.contains(extension)) return "\n// touched by dfopt verify\n";
  return "\n";
}

bool appendTo(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::app);
  out << text;
  return static_cast<bool>(out);
}

bool writeFile(const fs::path& path, const std::string& text) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  return static_cast<bool>(out);
}

// Copies a build context, leaving out the directories its .dockerignore
// excludes whole (node_modules, .git, .venv: they never reach the builder, and
// copying them can take long). With exception patterns ('!') everything is
// copied and the builder decides. Returns an error message on failure.
std::optional<std::string> copyContext(const fs::path& from, const fs::path& to,
                                       const context::Dockerignore& ignore,
                                       const std::string& relative = "") {
  bool skipDirectories = std::none_of(ignore.patterns().begin(), ignore.patterns().end(),
                                      [](const std::string& p) { return p.starts_with('!'); });
  std::error_code ec;
  fs::create_directories(to, ec);
  if (ec) return ec.message();
  for (fs::directory_iterator it(from, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    std::string path = relative.empty() ? name : relative + "/" + name;
    fs::file_status status = it->symlink_status(ec);
    if (ec) return fmt::format("{}: {}", it->path().string(), ec.message());
    if (fs::is_symlink(status)) {
      fs::copy_symlink(it->path(), to / name, ec);
    } else if (fs::is_directory(status)) {
      if (skipDirectories && ignore.excludes(path)) continue;
      if (auto error = copyContext(it->path(), to / name, ignore, path)) return error;
    } else if (fs::is_regular_file(status)) {
      fs::copy_file(it->path(), to / name, ec);
    }
    if (ec) return fmt::format("{}: {}", it->path().string(), ec.message());
  }
  if (ec) return fmt::format("{}: {}", from.string(), ec.message());
  return std::nullopt;
}

// A temporary folder, removed when this goes out of scope.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = (fs::path(base && *base ? base : "/tmp") / "dfopt-verify-XXXXXX").string();
    if (::mkdtemp(pattern.data())) path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// ------------------------------------------------------------ verifying

struct Variant {
  std::string label;  // before, after
  fs::path context;
  fs::path dockerfile;
  std::string tag;
  bool built = false;
  double buildSeconds = 0;
  std::string buildOutput;
  ImageFacts facts;
  FinalUser user;
  bool rebuilt = false;
  double rebuildSeconds = 0;
  StepCount rebuild;
};

// Its context copy is temp/NAME, its Dockerfile temp/Dockerfile.NAME (out of
// the context, as the user's may be), its image TAGBASE:NAME.
Variant makeVariant(std::string label, const fs::path& temp, const std::string& name,
                    const std::string& tagBase) {
  Variant variant;
  variant.label = std::move(label);
  variant.context = temp / name;
  variant.dockerfile = temp / ("Dockerfile." + name);
  variant.tag = tagBase + ":" + name;
  return variant;
}

// Removes the images this run made: its tags, and the intermediate images
// that appeared in the store while it ran and carry no name.
class ImageJanitor {
 public:
  ImageJanitor(const Builder& builder) : builder_(builder), before_(imageIds(builder)) {}
  void track(const std::string& tag) { tags_.push_back(tag); }
  ~ImageJanitor() {
    for (const std::string& tag : tags_) runProcess({builder_.program, "rmi", "-f", tag});
    std::set<std::string> dangling;
    std::vector<std::string> listing = {builder_.program, "images",   "-a",           "-q",
                                        "--no-trunc",     "--filter", "dangling=true"};
    ProcessResult listed = runProcess(listing);
    std::stringstream lines(listed.output);
    std::string id;
    while (std::getline(lines, id)) {
      if (!id.empty() && !before_.contains(id)) dangling.insert(id);
    }
    if (dangling.empty()) return;
    std::vector<std::string> remove = {builder_.program, "rmi", "-f"};
    remove.insert(remove.end(), dangling.begin(), dangling.end());
    runProcess(remove);
  }

 private:
  const Builder& builder_;
  std::set<std::string> before_;
  std::vector<std::string> tags_;
};

std::string randomSuffix() {
  std::random_device device;
  return fmt::format("{}-{:08x}", ::getpid(), device());
}

void build(const Builder& builder, Variant& variant) {
  std::cerr << fmt::format("dfopt verify: building the {} image with {} ...\n", variant.label, builder.name);
  ProcessResult result = runProcess(buildCommand(builder, variant.dockerfile, variant.tag, variant.context));
  variant.built = result.ok();
  variant.buildSeconds = result.seconds;
  variant.buildOutput = result.output;
  if (!variant.built) {
    std::cerr << fmt::format("dfopt verify: the {} image does not build:\n{}\n", variant.label,
                             lastLines(result.output, 25));
    return;
  }
  variant.facts = inspectImage(builder, variant.tag);
  variant.user = resolveUser(builder, variant.tag, variant.facts.user);
}

void rebuild(const Builder& builder, Variant& variant) {
  std::cerr << fmt::format("dfopt verify: rebuilding the {} image after the edit ...\n", variant.label);
  ProcessResult result = runProcess(buildCommand(builder, variant.dockerfile, variant.tag, variant.context));
  variant.rebuilt = result.ok();
  variant.rebuildSeconds = result.seconds;
  if (variant.rebuilt) {
    variant.rebuild = countSteps(result.output);
  } else {
    std::cerr << fmt::format("dfopt verify: the {} image does not rebuild:\n{}\n", variant.label,
                             lastLines(result.output, 25));
  }
}

std::string formatSize(std::optional<double> bytes) {
  if (!bytes) return "?";
  if (*bytes >= 1e9) return fmt::format("{:.2f} GB", *bytes / 1e9);
  return fmt::format("{:.1f} MB", *bytes / 1e6);
}

std::string formatUser(const FinalUser& user) {
  std::string uid = user.uid ? std::to_string(*user.uid) : "?";
  return user.name == uid ? fmt::format("uid {}", uid) : fmt::format("{} (uid {})", user.name, uid);
}

struct Verdict {
  bool ok = true;
  std::vector<std::string> reasons;
};

// No worse: builds; not larger (2% slack: sizes may be rounded); re-runs no
// more dependency installs after the edit (steps after the edited COPY re-run
// anyway, and a split into stages adds cheap ones); not root when the
// original was not.
Verdict judge(const Variant& before, const Variant& after) {
  Verdict verdict;
  auto fail = [&](std::string reason) {
    verdict.ok = false;
    verdict.reasons.push_back(std::move(reason));
  };
  if (!after.built) {
    fail("the rewritten Dockerfile does not build");
    return verdict;
  }
  if (!before.built) return verdict;
  if (before.facts.size && after.facts.size && *after.facts.size > *before.facts.size * 1.02) {
    fail(fmt::format("the image is larger ({} > {})", formatSize(after.facts.size),
                     formatSize(before.facts.size)));
  }
  if (!after.rebuilt && before.rebuilt) fail("the rewritten Dockerfile does not rebuild after the edit");
  if (before.rebuilt && after.rebuilt &&
      after.rebuild.dependencyInstalls.size() > before.rebuild.dependencyInstalls.size()) {
    fail(fmt::format("more dependency installs re-run after the edit ({} > {}: {})",
                     after.rebuild.dependencyInstalls.size(), before.rebuild.dependencyInstalls.size(),
                     fmt::join(after.rebuild.dependencyInstalls, "; ")));
  }
  if (!before.user.root() && after.user.root()) fail("the final user is root, the original's is not");
  return verdict;
}

void printTable(const Variant& before, const Variant& after, const std::optional<std::string>& touched) {
  auto built = [](const Variant& v) {
    return v.built ? fmt::format("ok ({:.1f}s)", v.buildSeconds) : std::string("FAILED");
  };
  auto size = [](const Variant& v) { return v.built ? formatSize(v.facts.size) : std::string("-"); };
  auto layers = [](const Variant& v) {
    return v.built && v.facts.layers ? std::to_string(*v.facts.layers) : std::string("-");
  };
  auto rerun = [&](const Variant& v) {
    if (!touched) return std::string("n/a");
    if (!v.built) return std::string("-");
    if (!v.rebuilt) return std::string("FAILED");
    return fmt::format("{} of {}", v.rebuild.rerun, v.rebuild.total);
  };
  auto runRerun = [&](const Variant& v) {
    return touched && v.rebuilt ? std::to_string(v.rebuild.runRerun) : std::string("-");
  };
  auto depsRerun = [&](const Variant& v) {
    return touched && v.rebuilt ? std::to_string(v.rebuild.dependencyInstalls.size()) : std::string("-");
  };
  auto rebuildTime = [&](const Variant& v) {
    return touched && v.rebuilt ? fmt::format("{:.1f}s", v.rebuildSeconds) : std::string("-");
  };
  auto user = [](const Variant& v) { return v.built ? formatUser(v.user) : std::string("-"); };
  std::string ratio;
  if (before.built && after.built && before.facts.size && after.facts.size && *before.facts.size > 0) {
    ratio = fmt::format("{:.2f}x", *after.facts.size / *before.facts.size);
  }
  const std::vector<std::array<std::string, 4>> rows = {
      {"", "before", "after", ""},
      {"build", built(before), built(after), ""},
      {"size", size(before), size(after), ratio},
      {"layers", layers(before), layers(after), ""},
      {"steps re-run after edit", rerun(before), rerun(after), touched ? "edited " + *touched : ""},
      {"  RUN steps", runRerun(before), runRerun(after), ""},
      {"  dependency installs", depsRerun(before), depsRerun(after), ""},
      {"rebuild time", rebuildTime(before), rebuildTime(after), ""},
      {"final user", user(before), user(after), ""},
  };
  std::array<size_t, 3> width{};
  for (const auto& row : rows) {
    for (size_t i = 0; i < 3; ++i) width[i] = std::max(width[i], row[i].size());
  }
  for (const auto& row : rows) {
    std::string line = fmt::format("{:<{}}  {:<{}}  {:<{}}  {}", row[0], width[0], row[1], width[1], row[2],
                                   width[2], row[3]);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    std::cout << line << '\n';
  }
}

// Where --touch points: a path relative to the context, or one (relative to
// the working directory or absolute) that lies inside it.
std::optional<std::string> touchTarget(const std::string& touch, const fs::path& contextDir) {
  std::error_code ec;
  fs::path root = fs::weakly_canonical(contextDir, ec);
  for (const fs::path& candidate : {contextDir / touch, fs::path(touch)}) {
    if (!fs::is_regular_file(candidate, ec)) continue;
    fs::path relative = fs::weakly_canonical(candidate, ec).lexically_relative(root);
    if (!relative.empty() && *relative.begin() != "..") return relative.generic_string();
  }
  return std::nullopt;
}

int verify(const VerifyOptions& options) {
  if (!validateTransformNames(options.transforms)) return kUsageOrInputError;
  std::error_code ec;
  if (!fs::is_regular_file(options.dockerfile, ec)) {
    std::cerr << fmt::format("{}: error: {}\n", options.dockerfile,
                             fs::is_directory(options.dockerfile, ec) ? "is a directory" : "no such file");
    return kUsageOrInputError;
  }
  auto builder = chooseBuilder(options.builder);
  if (!builder) return kUsageOrInputError;
  auto run = runOnFile(options.dockerfile, options.transforms);
  if (!run) return kUsageOrInputError;

  std::optional<std::string> touched;
  if (!options.touch.empty()) {
    touched = touchTarget(options.touch, run->contextDir);
    if (!touched) {
      std::cerr << fmt::format("{}: error: --touch names no file in the build context {}\n", options.touch,
                               run->contextDir.string());
      return kUsageOrInputError;
    }
  }
  std::cerr << fmt::format("dfopt verify: {} with {}\n", run->displayName, builder->name);
  for (const engine::Finding& finding : run->outcome.findings) {
    if (finding.changes()) std::cerr << "  " << describeFinding(*run, finding) << '\n';
  }
  if (!run->outcome.changed()) {
    std::cout << fmt::format("{}: nothing to verify: dfopt fix changes nothing\n", run->displayName);
    return kOk;
  }

  TempDir temp;
  if (temp.path().empty()) {
    std::cerr << fmt::format("error: cannot create a temporary folder: {}\n", std::strerror(errno));
    return kUsageOrInputError;
  }
  std::string tagBase = "localhost/dfopt-verify-" + randomSuffix();
  Variant before = makeVariant("original", temp.path(), "before", tagBase);
  Variant after = makeVariant("rewritten", temp.path(), "after", tagBase);
  auto original = context::BuildContext::fromDirectory(run->contextDir);
  std::optional<std::string> rewrittenIgnoreText = original.dockerignoreText();
  for (const engine::FileChange& file : run->outcome.files) {
    if (file.path == ".dockerignore") rewrittenIgnoreText = file.after;
  }
  const auto rewrittenIgnore = context::Dockerignore::parse(rewrittenIgnoreText.value_or(""));
  for (auto [variant, ignore] :
       {std::pair{&before, &original.dockerignore()}, std::pair{&after, &rewrittenIgnore}}) {
    if (auto error = copyContext(run->contextDir, variant->context, *ignore)) {
      std::cerr << fmt::format("{}: error: cannot copy the build context: {}\n", run->contextDir.string(),
                               *error);
      return kUsageOrInputError;
    }
  }
  bool written =
      writeFile(before.dockerfile, run->outcome.before) && writeFile(after.dockerfile, run->outcome.after);
  for (const engine::FileChange& file : run->outcome.files)
    written = written && writeFile(after.context / file.path, file.after);
  if (!written) {
    std::cerr << "error: cannot write to the temporary folder\n";
    return kUsageOrInputError;
  }
  if (!touched) touched = pickTouchFile(original, rewrittenIgnore);

  ImageJanitor janitor(*builder);
  janitor.track(before.tag);
  janitor.track(after.tag);
  build(*builder, before);
  build(*builder, after);
  if (touched) {
    for (Variant* variant : {&before, &after}) {
      if (!variant->built) continue;
      appendTo(variant->context / *touched, touchSuffix(*touched));
      rebuild(*builder, *variant);
    }
  }

  printTable(before, after, touched);
  Verdict verdict = judge(before, after);
  if (!before.built && after.built) {
    std::cout << "verdict: the original does not build; the rewrite does\n";
  } else if (verdict.ok) {
    std::cout << "verdict: the rewrite builds and is no worse\n";
  } else {
    std::cout << fmt::format("verdict: worse: {}\n", fmt::join(verdict.reasons, "; "));
  }
  return verdict.ok ? kOk : kChanges;
}

}  // namespace

void addVerifyCommand(CLI::App& app, int& exitCode) {
  auto options = std::make_shared<VerifyOptions>();
  CLI::App* command = app.add_subcommand(
      "verify", "Build the Dockerfile and its rewrite with docker, podman or buildah and compare them");
  command->add_option("dockerfile", options->dockerfile, "The Dockerfile (default: ./Dockerfile)");
  command
      ->add_option("--builder", options->builder,
                   "Which builder to run (auto: docker, then podman, then buildah)")
      ->check(CLI::IsMember({"auto", "docker", "podman", "buildah"}))
      ->capture_default_str();
  command->add_option("--touch", options->touch,
                      "The source file to edit before the rebuilds (default: one the tool picks)");
  addTransformOptions(*command, options->transforms);
  command->callback([options, &exitCode] { exitCode = verify(*options); });
}

}  // namespace dfopt::cli
