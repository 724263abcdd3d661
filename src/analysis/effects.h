#pragma once
// What each instruction reads and writes, conservatively: build-context
// paths, image paths, and the build state later instructions see (working
// directory, user, shell, variables), plus the stages it uses. Unknown
// commands may read and write everything under their working directory.
// One linear pass over the file.
#include <cstddef>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/dockerfile.h"

namespace dfopt::analysis {

// A piece of state an instruction reads or writes.
struct Resource {
  enum class Kind {
    Path,          // an absolute image path; a directory stands for everything below it
    Workdir,       // the working directory
    User,          // the user later instructions run as
    Shell,         // the shell RUN uses
    Variable,      // one ARG or ENV variable, by name
    AllVariables,  // every variable (what a RUN's processes see)
  };
  Kind kind = Kind::Path;
  std::string name;  // Path: the path; Variable: the name

  static Resource path(std::string path) { return {Kind::Path, std::move(path)}; }
  static Resource variable(std::string name) { return {Kind::Variable, std::move(name)}; }
  static Resource state(Kind kind) { return {kind, {}}; }
};

// Why an access is made, as the dependency graph tells it. Most reasons are
// string literals, kept as they are; a formatted one is shared by copies.
// (An instruction's accesses are kept for the whole run: a RUN has at least
// four, and a file may have a hundred thousand RUNs.)
class Reason {
 public:
  Reason() = default;
  template <size_t N>
  Reason(const char (&literal)[N])  // NOLINT: a literal converts implicitly, and is not copied
      : data_(std::shared_ptr<const char>(), literal), size_(N - 1) {}
  Reason(std::string text) {  // NOLINT: so does a formatted text
    auto owned = std::make_shared<const std::string>(std::move(text));
    data_ = std::shared_ptr<const char>(owned, owned->data());
    size_ = owned->size();
  }

  // A part of a text several reasons share: one allocation for all of them.
  Reason(const std::shared_ptr<const std::string>& owner, std::string_view part)
      : data_(owner, part.data()), size_(part.size()) {}

  std::string_view text() const { return {data_.get(), size_}; }

 private:
  std::shared_ptr<const char> data_;  // owns a formatted text; not a literal
  size_t size_ = 0;
};

// Its members are ordered to pack it: a RUN has at least four.
struct Access {
  Access() = default;
  Access(Resource resource, bool write, std::vector<std::string> except, Reason why, bool cache = false)
      : resource(std::move(resource)),
        except(std::move(except)),
        why(std::move(why)),
        write(write),
        cache(cache) {}

  Resource resource;
  // Path reads only: paths below the resource this access leaves out (a
  // package tool reads the whole image but, of its working directory, only
  // its manifests, which are accesses of their own).
  std::vector<std::string> except;
  Reason why;  // what makes it an access: "pip installs what requirements.txt lists"
  bool write = false;
  // A package or build cache: content-addressed, so writers in any order
  // leave a cache as good, and it conflicts with nothing.
  bool cache = false;
  // A package tool's read of the image's tool paths (/usr, /opt...), which
  // it makes for its own program and settings.
  bool toolPaths = false;
  // A write of a virtualenv (python -m venv, an install into the one
  // VIRTUAL_ENV names): a tool uses a virtualenv only when VIRTUAL_ENV or
  // PATH names it, so it meets no tool-path read.
  bool virtualenvWrite = false;
};

// Do two accesses touch the same state, at least one of them writing it?
bool conflicts(const Access& a, const Access& b);

// An instruction's accesses, in order. A RUN's reads of the build state it
// runs in (working directory, user, shell, every variable) are the same
// for every RUN: they are shared, not stored with each of a file's
// thousands of RUNs.
class AccessList {
 public:
  class const_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = Access;
    using difference_type = std::ptrdiff_t;
    using pointer = const Access*;
    using reference = const Access&;
    const_iterator() = default;
    const_iterator(const AccessList* list, size_t at) : list_(list), at_(at) {}
    const Access& operator*() const { return (*list_)[at_]; }
    const Access* operator->() const { return &(*list_)[at_]; }
    const_iterator& operator++() {
      ++at_;
      return *this;
    }
    const_iterator operator++(int) { return {list_, at_++}; }
    bool operator==(const const_iterator& other) const { return at_ == other.at_; }

   private:
    const AccessList* list_ = nullptr;
    size_t at_ = 0;
  };

  void push_back(Access access) { own_.push_back(std::move(access)); }
  // The RUN's reads of the build state, after the accesses pushed so far.
  void addRunStateReads() { runStateAt_ = own_.size(); }
  // Accesses kept elsewhere (the RUN's commands', which the RUNs of the next
  // model share), after those pushed so far and the build state reads.
  void addShared(std::shared_ptr<const std::vector<Access>> shared) {
    sharedAt_ = own_.size();
    shared_ = std::move(shared);
  }
  size_t size() const {
    return own_.size() + (runStateAt_ ? kRunStateReads : 0) + (shared_ ? shared_->size() : 0);
  }
  bool empty() const { return size() == 0; }
  const Access& operator[](size_t i) const;
  const_iterator begin() const { return {this, 0}; }
  const_iterator end() const { return {this, size()}; }

 private:
  static constexpr size_t kRunStateReads = 4;
  std::vector<Access> own_;
  std::optional<size_t> runStateAt_;
  std::shared_ptr<const std::vector<Access>> shared_;
  size_t sharedAt_ = 0;
};

// The flags are together: every instruction has its Effects, kept for the run.
struct Effects {
  size_t index = 0;                    // in Dockerfile::instructions
  std::optional<size_t> stage;         // nothing before the first FROM
  bool step = false;                   // a build step: any instruction of a stage but its FROM
  bool layer = false;                  // makes a filesystem layer (RUN, COPY, ADD)
  bool intoDirectory = false;          // COPY/ADD: the destination is a directory the sources go into
  bool unknownCommand = false;         // a RUN with a command the analysis does not model
  bool installsDependencies = false;   // a RUN that installs dependencies from manifests
  std::optional<std::string> workdir;  // absolute, in effect for the instruction; nothing when unknown
  std::string home = "/root";          // the home directory of the user it runs as
  // Build-context paths read (COPY/ADD sources, RUN --mount=type=bind), as
  // cleaned context paths or patterns; "." is the whole context.
  std::vector<std::string> contextSources;
  AccessList accesses;
  std::vector<size_t> stagesUsed;  // FROM stage, COPY --from, RUN --mount=from
  // COPY/ADD: the absolute destination (nothing when unknown), and for
  // COPY --from=stage the absolute paths copied out of that stage.
  std::optional<std::string> destination;
  std::vector<std::string> stageSources;
  std::vector<std::string> unknownStages;  // --from names that look like a stage's and name none
};

// An instruction in one line: its keyword (upper case) and arguments,
// blanks collapsed, cut at `maxLength` characters with "...".
std::string describe(const model::Instruction& instruction, size_t maxLength = 60);

// The effects of every instruction, in the file's order (index i is the
// effects of Dockerfile::instructions[i]).
// Computed once per model and kept with it.
const std::vector<Effects>& analyzeEffects(const model::Dockerfile& file);

// The stage a FROM or --from reference names, by name (case-insensitive)
// or number; nothing for an image.
std::optional<size_t> stageNamed(const model::Dockerfile& file, std::string_view reference);

// The stages an instruction of stage `stage` uses (FROM stage, COPY --from,
// RUN --mount=from) and its references that look like a stage's and name
// none: Effects::stagesUsed and unknownStages without the rest of the
// effects, which cost far more (the stage graph needs only these).
struct StageUses {
  std::vector<size_t> used;
  std::vector<std::string> unknown;
};
StageUses stageUsesOf(const model::Dockerfile& file, size_t stage, size_t index);

}  // namespace dfopt::analysis
