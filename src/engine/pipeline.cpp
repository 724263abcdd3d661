#include "engine/pipeline.h"

#include <algorithm>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "engine/comment_guard.h"
#include "engine/ignore_checks.h"
#include "engine/input_index.h"
#include "engine/line_mention.h"
#include "engine/open_continuation.h"
#include "model/queries.h"
#include "shell/script.h"
#include "util/text_memo.h"

namespace dfopt::engine {
namespace {

bool contains(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

void recordFile(std::vector<FileChange>& files, const context::BuildContext& context,
                const ExtraFile& extra) {
  for (FileChange& file : files) {
    if (file.path == extra.path) {
      file.after = extra.content;
      return;
    }
  }
  // Whole, as the transforms read the .dockerignore: a `before` cut at the
  // usual read limit would not match the file when it is written.
  std::optional<std::string> before;
  if (context.exists(extra.path)) before = context.read(extra.path, SIZE_MAX);
  if (before == extra.content) return;
  files.push_back({extra.path, before, extra.content});
}

// Where an offset in the text after `edits` was before them; an offset
// inside inserted text maps to the start of the edit and is not exact.
struct MappedOffset {
  uint32_t offset;
  bool exact = true;
};

MappedOffset offsetBefore(uint32_t offset, std::vector<Edit> edits) {
  std::sort(edits.begin(), edits.end(),
            [](const Edit& a, const Edit& b) { return a.range.begin < b.range.begin; });
  int64_t delta = 0;
  for (const Edit& edit : edits) {
    int64_t newBegin = edit.range.begin + delta;
    int64_t newEnd = newBegin + static_cast<int64_t>(edit.replacement.size());
    if (offset < newBegin) break;
    if (offset < newEnd) return {edit.range.begin, false};
    delta += static_cast<int64_t>(edit.replacement.size()) - edit.range.size();
  }
  return {static_cast<uint32_t>(offset - delta)};
}

MappedOffset offsetInInput(uint32_t offset, const std::vector<std::vector<Edit>>& steps) {
  MappedOffset mapped{offset};
  for (auto step = steps.rbegin(); step != steps.rend(); ++step) {
    MappedOffset before = offsetBefore(mapped.offset, *step);
    mapped = {before.offset, mapped.exact && before.exact};
  }
  return mapped;
}

// The only instruction of the input stage around `index` with the command
// of `about` (the CMD a step rewrote), if there is one.
std::optional<size_t> onlyOfItsKind(const std::vector<InputInstruction>& input, size_t index,
                                    const model::Instruction& about) {
  size_t from = index + 1;
  while (from > 0 && !input[from - 1].is("from")) --from;
  std::optional<size_t> found;
  for (size_t i = from; i < input.size(); ++i) {
    if (i > from && input[i].is("from")) break;
    if (input[i].command != about.command) continue;
    if (found) return std::nullopt;
    found = i;
  }
  return found;
}

struct InputPosition {
  uint32_t offset = 0;
  bool inserted = false;  // not at its own input instruction: one that matches, or the stage's FROM
};

// Where in the input a finding about `about` (an instruction of the text a
// step saw) belongs, when `near` (its offset mapped back) is not exact or
// not at an input instruction: the input instruction with the same text
// (or else the same text under another command, or else the same command on
// the same first argument) nearest to `near`, else the only one of its
// command in the input stage around
// `near`, else that stage's FROM; never past the end of the input.
InputPosition inputPosition(const InputIndex& index, const model::Instruction* about, MappedOffset near) {
  const std::vector<InputInstruction>& input = index.instructions();
  if (input.empty()) return {};
  if (near.exact && index.instructionAt(near.offset)) return {near.offset};
  size_t before = index.instructionBefore(near.offset);
  // An instruction whose keyword a step rewrote (ADD to COPY) is its own input
  // instruction before it is another one of its new command.
  for (auto matches :
       {&InputInstruction::same, &InputInstruction::sameArguments, &InputInstruction::similar}) {
    if (!about) break;
    std::optional<size_t> best;
    for (size_t i = 0; i < input.size(); ++i) {
      if (!(input[i].*matches)(*about)) continue;
      if (!best || i <= before) best = i;
    }
    if (best) return {input[*best].keyword, true};
  }
  if (about && !about->is("from")) {
    if (auto only = onlyOfItsKind(input, before, *about)) return {input[*only].keyword, true};
  }
  for (size_t i = before + 1; i-- > 0;) {
    if (input[i].is("from")) return {input[i].keyword, about && !about->is("from")};
  }
  return {input[before].keyword, true};
}

bool sameFiles(const std::vector<FileChange>& a, const std::vector<FileChange>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].path != b[i].path || a[i].after != b[i].after) return false;
  }
  return true;
}

void withhold(Finding& finding) {
  finding.edits.clear();
  finding.files.clear();
  finding.withheld = true;
}

// Is the finding (its offset already in the input) silenced by an inline
// ignore on the input instruction it is about, on the FROM of that
// instruction's stage (one change of a transform may be told in several
// findings, as non-root's user at the FROM and its COPY --chown: an
// ignore above the FROM silences them all), or for the whole file? Every
// ignore that silences it counts as used.
bool silenced(const Finding& finding, const InputIndex& input, const IgnoreUse& ignores,
              std::vector<bool>& used) {
  std::optional<size_t> index = input.instructionAt(finding.offset);
  std::optional<size_t> stageFrom;
  if (index && input.instructions()[*index].stageFrom != InputInstruction::kNoStage)
    stageFrom = input.instructions()[*index].stageFrom;
  bool found = false;
  for (size_t i = 0; i < ignores.ignores.size(); ++i) {
    const Ignore& ignore = ignores.ignores[i];
    if (!ignore.silences(finding.transform, index) && !ignore.silences(finding.transform, stageFrom))
      continue;
    used[i] = true;
    found = true;
  }
  return found;
}

// Is the syntax tree of a text the steps will edit kept? Not for a large
// text: it would add to the peak memory the model and its analyses set.
bool keptForSteps(const std::string& text) {
  constexpr size_t kKeepTreeUpTo = 256 << 10;
  return text.size() <= kKeepTreeUpTo;
}

// Parses a text the steps will edit. If keptForSteps, its outline (when
// the grammar's scanner read it alone, model/parse.h) or else its syntax
// tree is kept, so that a step's edits are read or parsed again only where
// they fall; `changed` says how it differs from the text of a kept one, and
// gives the model, whose unchanged instructions the new one takes.
model::ParseOutcome parseForSteps(const std::string& text, model::ChangedText changed = {}) {
  if (!keptForSteps(text)) return model::parseDockerfile(text);
  return model::parseDockerfileKeepingTree(text, std::move(changed));
}

// The model of outcome.after: the input's until a step changes the text,
// then that of the new text (parsed once, to check that it parses). Only
// one is kept: what the findings need of the input is in an InputIndex.
struct CurrentModel {
  std::optional<model::Dockerfile> model;
  // The syntax tree or outline of outcome.after (see parseForSteps).
  std::shared_ptr<const syntax::SyntaxTree> tree;
  std::shared_ptr<const syntax::Outline> outline;
  uint64_t replacements = 0;  // how many times the text changed
  // The text at the start of the pass, by size and hash (set by the pass's
  // first change): a pass whose changes undo one another has settled too,
  // and keeping a copy would cost the size of the file.
  struct TextStamp {
    size_t size;
    size_t hash;
    bool operator==(const TextStamp&) const = default;
  };
  std::optional<TextStamp> passStart;

  static TextStamp stamp(const std::string& text) { return {text.size(), std::hash<std::string>{}(text)}; }

  const model::Dockerfile& file() const { return *model; }
  // Frees the model, with what was derived from it; replace() gives the
  // next one.
  void release() { model.reset(); }
  // Parses a text that `edits` made of the current one. The current model
  // will not be analysed again: what was derived from it goes first. The
  // model stays while the new one takes its unchanged instructions, but on
  // a text whose tree is not kept it goes too, before the new text's model
  // is built (if tree-sitter must parse it, its tree is the largest
  // allocation of a step).
  model::ParseOutcome parse(const std::string& text, const std::vector<Edit>& edits) {
    if (model) model->clearDerived();
    if (!keptForSteps(text)) release();
    std::shared_ptr<const syntax::SyntaxTree> previous = std::move(tree);
    std::shared_ptr<const syntax::Outline> previousOutline = std::move(outline);
    model::ChangedText changed;
    changed.previousModel = model ? &*model : nullptr;
    changed.previous = previous.get();
    changed.previousOutline = previousOutline.get();
    if (previous || previousOutline) {  // else the text is read whole
      for (const Edit& edit : edits)
        changed.changes.push_back({edit.range, static_cast<uint32_t>(edit.replacement.size())});
    }
    model::ParseOutcome outcome = parseForSteps(text, std::move(changed));
    tree = std::move(outcome.tree);
    outline = std::move(outcome.outline);
    return outcome;
  }
  void replace(model::Dockerfile next) {
    model = std::move(next);
    ++replacements;
    openContinuation.reset();
  }
  // openContinuationAtEnd of the model, worked out once per model (every
  // step asks).
  std::optional<uint32_t> openContinuationAtEnd() {
    if (!openContinuation) openContinuation = engine::openContinuationAtEnd(*model);
    return *openContinuation;
  }
  std::optional<std::optional<uint32_t>> openContinuation;
};

// Applies a step's edits to outcome.after and, when the text changed,
// replaces the current model by the new text's; an error message when the
// edits overlap or the new text does not parse.
std::optional<std::string> applyStep(const Transform& transform, const std::vector<Edit>& edits,
                                     PipelineOutcome& outcome, CurrentModel& current) {
  if (edits.empty()) return std::nullopt;
  std::optional<std::string> rewritten = applyEdits(outcome.after, edits);
  if (!rewritten) return fmt::format("{} proposed overlapping edits", transform.name());
  if (*rewritten == outcome.after) return std::nullopt;
  // The kept scripts go when they are large, before the new text's model is
  // built; small ones stay: the new text has the same RUNs.
  shell::forgetSharedScripts(1 << 20);
  model::ParseOutcome check = current.parse(*rewritten, edits);
  if (!check.dockerfile) {
    syntax::Position at = check.source->position(check.errors[0].offset);
    return fmt::format("{} would produce a Dockerfile that does not parse ({}:{}: {})", transform.name(),
                       at.line, at.column, check.errors[0].message);
  }
  current.replace(std::move(*check.dockerfile));
  if (!current.passStart) current.passStart = CurrentModel::stamp(outcome.after);
  outcome.after = std::move(*rewritten);
  return std::nullopt;
}

// One transform's step; returns an error message when it cannot be applied.
// Findings are mapped to the input first, so that a silenced one is dropped
// with its edits before any are applied.
std::optional<std::string> runStep(const Transform& transform, PipelineOutcome& outcome,
                                   CurrentModel& current, const InputIndex& input,
                                   const context::BuildContext& context, const Options& options,
                                   IgnoreUse& ignores) {
  Result result = transform.run(current.file(), context, options);
  if (options.changesOnly && std::any_of(result.findings.begin(), result.findings.end(),
                                         [](const Finding& finding) { return finding.changes(); })) {
    Options everything = options;
    everything.changesOnly = false;
    result = transform.run(current.file(), context, everything);
  }
  auto inputOffset = [&](uint32_t offset) {
    const model::Instruction* about = model::instructionAt(current.file(), offset);
    return inputPosition(input, about, offsetInInput(offset, outcome.steps));
  };
  auto inputLine = [&](uint32_t offset) {
    return outcome.inputSource->position(inputOffset(offset).offset).line;
  };
  for (Finding& finding : result.findings) {
    finding.transform = std::string(transform.name());
    InputPosition position = inputOffset(finding.offset);
    finding.offset = position.offset;
    finding.atInsertion = position.inserted;
    finding.message = writeLineMentions(finding.message, inputLine);
  }
  if (!ignores.ignores.empty()) {  // most files have none: nothing is silenced or counted
    std::vector<bool>& used = ignores.startRun(transform.name());
    std::erase_if(result.findings,
                  [&](const Finding& finding) { return silenced(finding, input, ignores, used); });
  }
  std::vector<Edit> edits;
  std::optional<uint32_t> openContinuation = current.openContinuationAtEnd();
  for (Finding& finding : result.findings) {
    if (openContinuation && writesAfter(finding, *openContinuation))
      leaveOutFix(finding, kWritesIntoOpenContinuation);
    if (losesComments(current.file(), finding)) leaveOutFix(finding, kLosesComments);
    if (finding.safety == Safety::Unsafe && !options.unsafeFixes && finding.changes()) withhold(finding);
    for (const Edit& edit : finding.edits) edits.push_back(edit);
  }
  if (auto failure = applyStep(transform, edits, outcome, current)) return failure;
  for (Finding& finding : result.findings) {
    for (const ExtraFile& file : finding.files) recordFile(outcome.files, context, file);
    outcome.findings.push_back(std::move(finding));
  }
  outcome.steps.push_back(std::move(edits));
  return std::nullopt;
}

}  // namespace

context::BuildContext withFileChanges(const context::BuildContext& context,
                                      const std::vector<FileChange>& files) {
  if (files.empty()) return context;
  std::map<std::string, std::string> written;
  for (const FileChange& file : files) written[file.path] = file.after;
  return context.withFiles(std::move(written));
}

bool Selection::includes(std::string_view name) const {
  if (!only.empty() && !contains(only, name)) return false;
  return !contains(skip, name);
}

namespace {

// A later pass keeps only what the transforms that changed something in it
// found: the reasons the others give for skipping would restate what the
// earlier passes did. A transform that changes something in a later pass
// tells what it found then in place of what it found before (a refusal of
// the first pass is gone once a written file lets it act).
void keepFindingsOfPass(PipelineOutcome& outcome, std::vector<Finding> pass, bool firstPass) {
  // A file of a hundred thousand stages has two hundred thousand findings:
  // not copied into a vector that doubles as it grows.
  if (firstPass && outcome.findings.empty()) {
    outcome.findings = std::move(pass);
    return;
  }
  std::vector<std::string> changedNow;
  if (!firstPass) {
    for (const Finding& finding : pass) {
      if (finding.changes()) changedNow.push_back(finding.transform);
    }
    std::erase_if(outcome.findings, [&](const Finding& finding) {
      return !finding.changes() && contains(changedNow, finding.transform);
    });
  }
  outcome.findings.reserve(outcome.findings.size() + pass.size());
  for (Finding& finding : pass) {
    if (firstPass || finding.changes() || contains(changedNow, finding.transform)) {
      outcome.findings.push_back(std::move(finding));
    }
  }
}

// The input stage of the instruction at or before an offset.
std::optional<size_t> stageAt(const InputIndex& input, uint32_t offset) {
  if (input.instructions().empty()) return std::nullopt;
  uint32_t stage = input.instructions()[input.instructionBefore(offset)].stage;
  return stage == InputInstruction::kNoStage ? std::nullopt : std::optional<size_t>(stage);
}

// A message says what, then why, after ": ".
std::string_view whatOf(std::string_view message) { return message.substr(0, message.find(": ")); }

// Kept findings by a key of what a later finding must share to merge into
// them (a search of all kept ones per finding was quadratic in a file of many
// stages); the first one kept comes first.
class KeptIndex {
 public:
  static std::string key(const Finding& finding, std::string_view text, uint64_t at) {
    std::string key;
    key.reserve(finding.transform.size() + text.size() + 2 * sizeof(uint32_t) + sizeof at);
    text::appendKeyPart(key, finding.transform);
    text::appendKeyPart(key, text);
    key.append(reinterpret_cast<const char*>(&at), sizeof at);
    return key;
  }
  void add(std::string key, size_t kept) { sets_[std::move(key)].insert(kept); }
  void remove(const std::string& key, size_t kept) { sets_[key].erase(kept); }
  std::optional<size_t> first(const std::string& key) const {
    auto found = sets_.find(key);
    if (found == sets_.end() || found->second.empty()) return std::nullopt;
    return *found->second.begin();
  }

 private:
  std::unordered_map<std::string, std::set<size_t>> sets_;
};

// Two findings of one transform with the same message on the same input
// line (a step's changes to several inserted instructions map back to one
// input instruction) are told once, with all their edits. So is a later
// change of a transform that makes the same change (what its message says
// before ": ") again, on the same input line or on an instruction another
// step inserted in the same input stage (deps-first moving the install a
// split wrote): the earlier finding keeps its place and takes the later
// message, which tells the outcome.
void mergeRepeatedFindings(PipelineOutcome& outcome, const InputIndex& input) {
  std::vector<Finding> merged;
  merged.reserve(outcome.findings.size());
  std::vector<uint32_t> lines;  // of the merged findings
  KeptIndex sameMessage;        // by message and line
  KeptIndex changingOnLine;     // the changing ones, by what and line
  KeptIndex changingInStage;    // the changing ones not at an insertion, by what and input stage
  auto stageKey = [&](const Finding& finding) { return stageAt(input, finding.offset).value_or(SIZE_MAX); };
  auto indexChanging = [&](size_t k) {
    const Finding& kept = merged[k];
    changingOnLine.add(KeptIndex::key(kept, whatOf(kept.message), lines[k]), k);
    if (!kept.atInsertion) changingInStage.add(KeptIndex::key(kept, whatOf(kept.message), stageKey(kept)), k);
  };
  for (Finding& finding : outcome.findings) {
    uint32_t line = outcome.inputSource->position(finding.offset).line;
    std::optional<size_t> same = sameMessage.first(KeptIndex::key(finding, finding.message, line));
    if (finding.atInsertion && finding.changes()) {
      for (std::optional<size_t> other :
           {changingOnLine.first(KeptIndex::key(finding, whatOf(finding.message), line)),
            changingInStage.first(KeptIndex::key(finding, whatOf(finding.message), stageKey(finding)))}) {
        if (other && (!same || *other < *same)) same = other;
      }
    }
    if (!same) {
      merged.push_back(std::move(finding));
      lines.push_back(line);
      sameMessage.add(KeptIndex::key(merged.back(), merged.back().message, line), merged.size() - 1);
      if (merged.back().changes()) indexChanging(merged.size() - 1);
      continue;
    }
    Finding& kept = merged[*same];
    bool keptChanged = kept.changes();
    if (finding.changes() && kept.message != finding.message) {
      sameMessage.remove(KeptIndex::key(kept, kept.message, lines[*same]), *same);
      kept.message = finding.message;
      sameMessage.add(KeptIndex::key(kept, kept.message, lines[*same]), *same);
    }
    for (Edit& edit : finding.edits) kept.edits.push_back(std::move(edit));
    for (ExtraFile& file : finding.files) kept.files.push_back(std::move(file));
    if (!keptChanged && kept.changes()) indexChanging(*same);
  }
  outcome.findings = std::move(merged);
}

// Which text and files each transform last ran on, as a version number that
// grows with every step that changes either. A transform asked again at the
// version it last ran at changed nothing then (or the version would have
// grown past it) and, being a pure function of them, would find the same
// again: a later pass skips it, and its findings would not be kept anyway.
struct Versions {
  uint64_t current = 0;
  std::vector<std::optional<uint64_t>> ranAt;  // by index in the transform list
};

// One pass of every selected transform; false when a step failed.
bool runPass(PipelineOutcome& outcome, CurrentModel& current, const InputIndex& input,
             const context::BuildContext& context, const Options& options, TransformList transforms,
             const Selection& selection, IgnoreUse& ignores, Versions& versions) {
  for (size_t i = 0; i < transforms.size(); ++i) {
    const Transform* transform = transforms[i];
    if (!selection.includes(transform->name()) || versions.ranAt[i] == versions.current) continue;
    versions.ranAt[i] = versions.current;
    context::BuildContext stepContext = withFileChanges(context, outcome.files);
    std::vector<FileChange> filesBefore = outcome.files;
    uint64_t textVersion = current.replacements;
    std::optional<std::string> failure;
    try {
      failure = runStep(*transform, outcome, current, input, stepContext, options, ignores);
    } catch (const std::exception& error) {
      // A bug in dfopt, not in the file: the file is left as it was, and a
      // run over many files goes on with the next.
      failure = fmt::format("{} failed on this file, a bug in dfopt ({}): please report it with the file",
                            transform->name(), error.what());
    }
    if (failure) {
      outcome.failure = std::move(failure);
      return false;
    }
    if (current.replacements != textVersion || !sameFiles(outcome.files, filesBefore)) ++versions.current;
  }
  return true;
}

// The findings about the inline ignores, run once the transforms have
// settled (they need to know what the ignores silenced); the fixes that
// remove unused ignores are a last step of their own.
void reportIgnores(PipelineOutcome& outcome, const IgnoreUse& ignores, TransformList transforms,
                   const Selection& selection) {
  if (ignores.ignores.empty() || !selection.includes(kIgnoreChecks)) return;
  // Parsed again (it parsed before): only a file with ignores pays for it.
  model::ParseOutcome input = model::parseDockerfile(outcome.before);
  IgnoreCheckInput run{*input.dockerfile, outcome.after, {}, {}};
  for (const Transform* transform : transforms) {
    run.known.emplace_back(transform->name());
    if (selection.includes(transform->name())) run.ran.emplace_back(transform->name());
  }
  std::vector<Finding> findings = checkIgnores(ignores, run);
  std::vector<Edit> edits;
  for (const Finding& finding : findings)
    edits.insert(edits.end(), finding.edits.begin(), finding.edits.end());
  if (!edits.empty()) {
    std::optional<std::string> rewritten = applyEdits(outcome.after, edits);
    if (!rewritten || !model::parseDockerfile(*rewritten).dockerfile) {
      for (Finding& finding : findings) finding.edits.clear();
    } else {
      outcome.after = std::move(*rewritten);
      outcome.steps.push_back(std::move(edits));
    }
  }
  for (Finding& finding : findings) outcome.findings.push_back(std::move(finding));
}

}  // namespace

PipelineOutcome runPipeline(std::string text, const context::BuildContext& context, const Options& options,
                            TransformList transforms, const Selection& selection) {
  // However the run ends, what this thread's memos kept for the file goes.
  struct ForgetMemos {
    ~ForgetMemos() { text::forgetThreadMemos(); }
  } forgetMemos;
  PipelineOutcome outcome;
  outcome.before = text;
  outcome.after = std::move(text);
  model::ParseOutcome input = parseForSteps(outcome.before);
  outcome.inputSource = input.source;
  if (!input.dockerfile) {
    outcome.inputErrors = std::move(input.errors);
    return outcome;
  }
  // Passes run until one changes nothing: a file one step writes (the
  // .dockerignore) can let an earlier step act, and the result must be a
  // fixed point so that running dfopt again changes nothing.
  IgnoreUse ignores{readIgnores(*input.dockerfile), {}, {}};  // `used` is filled when the passes settle
  outcome.input = InputIndex(*input.dockerfile);
  CurrentModel current{std::move(input.dockerfile),
                       std::move(input.tree),
                       std::move(input.outline),
                       0,
                       std::nullopt,
                       std::nullopt};
  Versions versions{0, std::vector<std::optional<uint64_t>>(transforms.size())};
  // A later pass keeps only the findings that change the file, unless an
  // inline ignore must learn which findings it silenced.
  Options laterPasses = options;
  laterPasses.changesOnly = ignores.ignores.empty();
  constexpr int kMaxPasses = 4;
  for (int pass = 0; pass < kMaxPasses; ++pass) {
    current.passStart.reset();
    std::vector<FileChange> filesBefore = outcome.files;
    std::vector<Finding> earlier = std::move(outcome.findings);
    outcome.findings.clear();
    bool ok = runPass(outcome, current, outcome.input, context, pass == 0 ? options : laterPasses, transforms,
                      selection, ignores, versions);
    std::vector<Finding> found = std::move(outcome.findings);
    outcome.findings = std::move(earlier);
    if (!ok) break;
    bool settled = (!current.passStart || *current.passStart == CurrentModel::stamp(outcome.after)) &&
                   sameFiles(outcome.files, filesBefore);
    keepFindingsOfPass(outcome, std::move(found), pass == 0);
    if (settled) {
      current = {};  // what is left reads the findings and the input's index
      ignores.settle();
      mergeRepeatedFindings(outcome, outcome.input);
      reportIgnores(outcome, ignores, transforms, selection);
      return outcome;
    }
  }
  if (!outcome.failure) outcome.failure = "the transforms did not settle: each pass changed the file again";
  outcome.after = outcome.before;
  outcome.files.clear();
  return outcome;
}

}  // namespace dfopt::engine
