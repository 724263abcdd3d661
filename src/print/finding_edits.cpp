#include "print/finding_edits.h"

#include <algorithm>

#include "print/line_diff.h"

namespace dfopt::print {
namespace {

using engine::Edit;
using engine::Finding;
using engine::PipelineOutcome;

constexpr int kNoOwner = -1;

// A piece of the text as the steps rewrite it: input bytes still there,
// text a step inserted, or input bytes a step removed (which take no room
// but keep their place, so that every change can be told where it was).
struct Piece {
  enum Kind { Kept, Inserted, Removed } kind = Kept;
  uint32_t begin = 0, end = 0;  // Kept, Removed: a range of the input
  std::string text;             // Inserted
  int owner = kNoOwner;         // Inserted, Removed: the finding that did it

  uint32_t length() const {
    if (kind == Kept) return end - begin;
    return kind == Inserted ? static_cast<uint32_t>(text.size()) : 0;
  }
};

struct OwnedEdit {
  Edit edit;
  int owner = kNoOwner;
};

bool sameEdit(const Edit& a, const Edit& b) {
  return a.range.begin == b.range.begin && a.range.end == b.range.end && a.replacement == b.replacement;
}

// Each step's edits with the finding that proposed it: the finding holding
// an equal edit, each edit of a finding claimed once.
std::vector<std::vector<OwnedEdit>> ownedSteps(const PipelineOutcome& outcome) {
  std::vector<std::vector<bool>> claimed;
  for (const Finding& finding : outcome.findings) claimed.emplace_back(finding.edits.size(), false);
  std::vector<std::vector<OwnedEdit>> steps;
  for (const std::vector<Edit>& step : outcome.steps) {
    std::vector<OwnedEdit>& owned = steps.emplace_back();
    for (const Edit& edit : step) {
      int owner = kNoOwner;
      for (size_t f = 0; f < outcome.findings.size() && owner == kNoOwner; ++f) {
        const std::vector<Edit>& edits = outcome.findings[f].edits;
        for (size_t e = 0; e < edits.size(); ++e) {
          if (!claimed[f][e] && sameEdit(edits[e], edit)) {
            claimed[f][e] = true;
            owner = static_cast<int>(f);
            break;
          }
        }
      }
      owned.push_back({edit, owner});
    }
    std::stable_sort(owned.begin(), owned.end(), [](const OwnedEdit& a, const OwnedEdit& b) {
      return a.edit.range.begin < b.edit.range.begin;
    });
  }
  return steps;
}

// Splits the piece that straddles `offset` of the current text in two.
void splitAt(std::vector<Piece>& pieces, uint32_t offset) {
  uint32_t pos = 0;
  for (size_t i = 0; i < pieces.size() && pos < offset; ++i) {
    uint32_t length = pieces[i].length();
    if (offset > pos && offset < pos + length) {
      Piece right = pieces[i];
      uint32_t cut = offset - pos;
      if (right.kind == Piece::Kept) {
        pieces[i].end = right.begin = pieces[i].begin + cut;
      } else {
        right.text = pieces[i].text.substr(cut);
        pieces[i].text.resize(cut);
      }
      pieces.insert(pieces.begin() + static_cast<std::ptrdiff_t>(i) + 1, std::move(right));
      return;
    }
    pos += length;
  }
}

// An edit that replaces text another finding inserted takes over what that
// finding removed there: the two changes are one now (an ADD made COPY,
// then moved), and the first alone would be a lone deletion.
void takeOver(std::vector<Piece>& out, int from, int to) {
  for (auto piece = out.rbegin(); piece != out.rend() && piece->kind == Piece::Removed; ++piece) {
    if (piece->owner == from) piece->owner = to;
  }
}

// Applies one step's edits (sorted, not overlapping) to the pieces.
std::vector<Piece> applyStep(std::vector<Piece> pieces, const std::vector<OwnedEdit>& edits) {
  for (const OwnedEdit& owned : edits) {
    splitAt(pieces, owned.edit.range.begin);
    splitAt(pieces, owned.edit.range.end);
  }
  std::vector<Piece> out;
  uint32_t pos = 0;
  size_t i = 0;
  for (const auto& [edit, owner] : edits) {
    // An insertion goes before what earlier steps removed at its offset, so
    // that a removal and the text that replaced it stay together.
    bool insertion = edit.range.size() == 0;
    for (; i < pieces.size(); ++i) {
      uint32_t length = pieces[i].length();
      bool before = length ? pos + length <= edit.range.begin
                           : pos < edit.range.begin || (pos == edit.range.begin && !insertion);
      if (!before) break;
      out.push_back(std::move(pieces[i]));
      pos += length;
    }
    for (; i < pieces.size(); ++i) {
      uint32_t length = pieces[i].length();
      bool inside = length ? pos + length <= edit.range.end : pos < edit.range.end;
      if (!inside) break;
      Piece& piece = pieces[i];
      if (piece.kind == Piece::Inserted && piece.owner != owner) takeOver(out, piece.owner, owner);
      if (piece.kind == Piece::Kept) {
        piece.kind = Piece::Removed;
        piece.owner = owner;
      }
      if (piece.kind == Piece::Removed) out.push_back(std::move(piece));
      pos += length;
    }
    if (!edit.replacement.empty()) out.push_back({Piece::Inserted, 0, 0, edit.replacement, owner});
  }
  for (; i < pieces.size(); ++i) out.push_back(std::move(pieces[i]));
  return out;
}

std::string textOf(std::string_view input, const std::vector<Piece>& pieces) {
  std::string text;
  for (const Piece& piece : pieces) {
    if (piece.kind == Piece::Kept) text += input.substr(piece.begin, piece.end - piece.begin);
    if (piece.kind == Piece::Inserted) text += piece.text;
  }
  return text;
}

struct OwnedChange {
  Edit edit;
  int owner = kNoOwner;
};

// The changed stretches between kept input, one per run of pieces of one owner.
std::vector<OwnedChange> changesOf(const std::vector<Piece>& pieces) {
  std::vector<OwnedChange> changes;
  uint32_t at = 0;
  bool open = false;
  for (const Piece& piece : pieces) {
    if (piece.kind == Piece::Kept) {
      at = piece.end;
      open = false;
      continue;
    }
    if (!open || changes.back().owner != piece.owner) {
      changes.push_back({{{at, at}, ""}, piece.owner});
      open = true;
    }
    if (piece.kind == Piece::Removed) changes.back().edit.range.end = at = piece.end;
    if (piece.kind == Piece::Inserted) changes.back().edit.replacement += piece.text;
  }
  return changes;
}

bool isContinuationByte(std::string_view text, size_t at) {
  return at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80;
}

// The edit without the bytes its removed text and its replacement share at
// the start and at the end (never cutting a UTF-8 character).
Edit trimmed(std::string_view input, const Edit& edit) {
  std::string_view removed = input.substr(edit.range.begin, edit.range.size());
  std::string_view added = edit.replacement;
  size_t most = std::min(removed.size(), added.size());
  size_t prefix = 0;
  while (prefix < most && removed[prefix] == added[prefix]) ++prefix;
  while (prefix > 0 && (isContinuationByte(removed, prefix) || isContinuationByte(added, prefix))) --prefix;
  size_t suffix = 0;
  while (suffix < most - prefix && removed[removed.size() - 1 - suffix] == added[added.size() - 1 - suffix]) {
    ++suffix;
  }
  while (suffix > 0 && (isContinuationByte(removed, removed.size() - suffix) ||
                        isContinuationByte(added, added.size() - suffix))) {
    --suffix;
  }
  uint32_t begin = edit.range.begin + static_cast<uint32_t>(prefix);
  uint32_t end = edit.range.end - static_cast<uint32_t>(suffix);
  return {{begin, end}, std::string(added.substr(prefix, added.size() - prefix - suffix))};
}

// The edit as the smallest replacements: the changed groups of lines when
// it spans lines, each without the bytes it keeps at its start and end.
std::vector<Edit> refined(std::string_view input, const Edit& edit) {
  std::string_view removed = input.substr(edit.range.begin, edit.range.size());
  std::vector<std::string_view> a = splitLines(removed);
  std::vector<std::string_view> b = splitLines(edit.replacement);
  std::vector<Edit> out;
  uint32_t aAt = edit.range.begin;
  size_t i = 0, j = 0;
  std::vector<LineOp> ops = lineScript(a, b);
  for (size_t k = 0; k < ops.size();) {
    if (ops[k] == LineOp::Equal) {
      aAt += static_cast<uint32_t>(a[i++].size());
      ++j, ++k;
      continue;
    }
    Edit group{{aAt, aAt}, ""};
    for (; k < ops.size() && ops[k] != LineOp::Equal; ++k) {
      if (ops[k] == LineOp::Delete) group.range.end = aAt += static_cast<uint32_t>(a[i++].size());
      if (ops[k] == LineOp::Insert) group.replacement += b[j++];
    }
    Edit small = trimmed(input, group);
    if (small.range.size() || !small.replacement.empty()) out.push_back(std::move(small));
  }
  return out;
}

// Two insertions at one offset would apply in either order: they become one.
std::vector<OwnedChange> withoutTiedInsertions(std::vector<OwnedChange> changes) {
  std::vector<OwnedChange> out;
  for (OwnedChange& change : changes) {
    if (!out.empty() && out.back().edit.range.size() == 0 && change.edit.range.size() == 0 &&
        out.back().edit.range.begin == change.edit.range.begin) {
      OwnedChange& last = out.back();
      size_t lastWeight = last.edit.replacement.size();
      size_t weight = change.edit.replacement.size();
      if (weight > lastWeight) last.owner = change.owner;
      last.edit.replacement += change.edit.replacement;
      continue;
    }
    out.push_back(std::move(change));
  }
  return out;
}

// Edits no finding claims go to the nearest change that has an owner, else
// to the first finding that changes something.
void giveOwners(std::vector<OwnedChange>& changes, const std::vector<Finding>& findings) {
  int fallback = kNoOwner;
  for (size_t f = 0; f < findings.size() && fallback == kNoOwner; ++f) {
    if (findings[f].changes()) fallback = static_cast<int>(f);
  }
  if (fallback == kNoOwner && !findings.empty()) fallback = 0;
  for (size_t i = 0; i < changes.size(); ++i) {
    if (changes[i].owner != kNoOwner) continue;
    int owner = fallback;
    for (size_t d = 1; d < changes.size(); ++d) {
      if (i >= d && changes[i - d].owner != kNoOwner) {
        owner = changes[i - d].owner;
        break;
      }
      if (i + d < changes.size() && changes[i + d].owner != kNoOwner) {
        owner = changes[i + d].owner;
        break;
      }
    }
    changes[i].owner = owner;
  }
}

// The pieces of `after` as the steps made it; when they do not give
// `after` (a step's edits that were not recorded), one change for all.
std::vector<OwnedChange> composedChanges(const PipelineOutcome& outcome) {
  std::vector<Piece> pieces{{Piece::Kept, 0, static_cast<uint32_t>(outcome.before.size()), "", kNoOwner}};
  for (const std::vector<OwnedEdit>& step : ownedSteps(outcome)) pieces = applyStep(std::move(pieces), step);
  if (textOf(outcome.before, pieces) == outcome.after) return changesOf(pieces);
  Edit whole{{0, static_cast<uint32_t>(outcome.before.size())}, outcome.after};
  return {{whole, kNoOwner}};
}

}  // namespace

std::vector<std::vector<Edit>> inputEdits(const PipelineOutcome& outcome) {
  std::vector<std::vector<Edit>> byFinding(outcome.findings.size());
  if (outcome.before == outcome.after || outcome.findings.empty()) return byFinding;
  std::vector<OwnedChange> small;
  for (const OwnedChange& change : withoutTiedInsertions(composedChanges(outcome))) {
    for (Edit& edit : refined(outcome.before, change.edit)) small.push_back({std::move(edit), change.owner});
  }
  small = withoutTiedInsertions(std::move(small));
  giveOwners(small, outcome.findings);
  for (OwnedChange& change : small)
    byFinding[static_cast<size_t>(change.owner)].push_back(std::move(change.edit));
  return byFinding;
}

std::optional<std::string> applyAll(std::string_view text, const std::vector<std::vector<Edit>>& edits) {
  std::vector<Edit> all;
  for (const std::vector<Edit>& list : edits) all.insert(all.end(), list.begin(), list.end());
  std::stable_sort(all.begin(), all.end(), [](const Edit& a, const Edit& b) {
    return std::pair(a.range.begin, a.range.end) < std::pair(b.range.begin, b.range.end);
  });
  return engine::applyEdits(text, std::move(all));
}

}  // namespace dfopt::print
