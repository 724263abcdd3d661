// Prints moby/patternmatcher's verdicts for the cases dfopt's differential
// test generates (tests/context/patternmatcher_diff), so that both sides
// decide the same inputs.
//
// Input, one hex-encoded string a line: "case P N", then P patterns (as
// .dockerignore lines, '!' included), then N paths.
// Output for each case: one line per pattern, "E" when patternmatcher
// rejects it (New or its regexp fails), "-" when New skips it (blank), else
// one digit per path: does Pattern.match accept the path itself? Then
// "L" and one digit per path: MatchesOrParentMatches with the accepted
// patterns.
package main

import (
	"bufio"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/moby/patternmatcher"
)

// noParents returns a MatchInfo telling MatchesUsingParentResults that none
// of n patterns matched the parent directory, so that it tries the path
// alone: Pattern.match, which patternmatcher does not export. Its field is
// unexported too; n exclusions, never tried first, leave it so.
func noParents(n int) patternmatcher.MatchInfo {
	exclusions := make([]string, n)
	for i := range exclusions {
		exclusions[i] = "!x"
	}
	pm, err := patternmatcher.New(exclusions)
	if err != nil {
		panic(err)
	}
	_, info, err := pm.MatchesUsingParentResults("x", patternmatcher.MatchInfo{})
	if err != nil {
		panic(err)
	}
	return info
}

var noParentOfOne = noParents(1)
var noParentOfTwo = noParents(2)

// singlePattern matches one .dockerignore line's pattern on a path alone.
type singlePattern struct {
	pm        *patternmatcher.PatternMatcher
	exclusion bool
}

var errMalformedChunk = errors.New("a chunk after the first is malformed")

// nextChunk is filepath's scanChunk: the text up to the next '*' outside
// a class, after the stars that start it.
func nextChunk(pattern string) (chunk, rest string) {
	pattern = strings.TrimLeft(pattern, "*")
	inClass := false
	for i := 0; i < len(pattern); i++ {
		switch pattern[i] {
		case '\\':
			if i+1 < len(pattern) {
				i++
			}
		case '[':
			inClass = true
		case ']':
			inClass = false
		case '*':
			if !inClass {
				return pattern[:i], pattern[i:]
			}
		}
	}
	return pattern, ""
}

// everyChunkWellFormed: Go releases after 1.19 (the one Debian 12 ships),
// which Docker is built with, make filepath.Match check the syntax of the
// chunks after a failed one too, so that New rejects "a*[" as well.
// filepath.Match(chunk, "") checks one chunk in full.
func everyChunkWellFormed(pattern string) bool {
	for pattern != "" {
		var chunk string
		chunk, pattern = nextChunk(pattern)
		if _, err := filepath.Match(chunk, ""); err != nil {
			return false
		}
	}
	return true
}

// newSinglePattern is nil for a blank line and an error where New fails. An
// exclusion is only tried once a path is excluded, so it follows "**",
// which excludes every path.
func newSinglePattern(line string) (*singlePattern, error) {
	pm, err := patternmatcher.New([]string{line})
	if err != nil || len(pm.Patterns()) == 0 {
		return nil, err
	}
	if !everyChunkWellFormed(pm.Patterns()[0].String()) {
		return nil, errMalformedChunk
	}
	if !pm.Patterns()[0].Exclusion() {
		return &singlePattern{pm, false}, nil
	}
	pm, err = patternmatcher.New([]string{"**", line})
	return &singlePattern{pm, true}, err
}

func (s *singlePattern) match(path string) (bool, error) {
	if !s.exclusion {
		matched, _, err := s.pm.MatchesUsingParentResults(path, noParentOfOne)
		return matched, err
	}
	excluded, _, err := s.pm.MatchesUsingParentResults(path, noParentOfTwo)
	return !excluded, err
}

func digit(b bool) byte {
	if b {
		return '1'
	}
	return '0'
}

// patternLine is the verdict line of one pattern; accepted says whether it
// joins the list.
func patternLine(line string, paths []string) (verdicts string, accepted bool) {
	single, err := newSinglePattern(line)
	if err != nil {
		return "E", false
	}
	if single == nil {
		return "-", false
	}
	// The regexp is compiled on the first match, whatever the path.
	if _, err := single.match(""); err != nil {
		return "E", false
	}
	digits := make([]byte, len(paths))
	for i, path := range paths {
		matched, _ := single.match(path)
		digits[i] = digit(matched)
	}
	return string(digits), true
}

func listLine(accepted []string, paths []string) string {
	pm, err := patternmatcher.New(accepted)
	if err != nil {
		panic(err)
	}
	digits := make([]byte, len(paths))
	for i, path := range paths {
		matched, err := pm.MatchesOrParentMatches(path)
		if err != nil {
			panic(err)
		}
		digits[i] = digit(matched)
	}
	return "L" + string(digits)
}

func decode(scanner *bufio.Scanner) string {
	if !scanner.Scan() {
		panic("truncated input")
	}
	text, err := hex.DecodeString(scanner.Text())
	if err != nil {
		panic(err)
	}
	return string(text)
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for in.Scan() {
		var patternCount, pathCount int
		if _, err := fmt.Sscanf(in.Text(), "case %d %d", &patternCount, &pathCount); err != nil {
			panic(err)
		}
		lines := make([]string, patternCount)
		for i := range lines {
			lines[i] = decode(in)
		}
		paths := make([]string, pathCount)
		for i := range paths {
			paths[i] = decode(in)
		}
		var accepted []string
		for _, line := range lines {
			verdicts, ok := patternLine(line, paths)
			if ok {
				accepted = append(accepted, line)
			}
			fmt.Fprintln(out, verdicts)
		}
		fmt.Fprintln(out, listLine(accepted, paths))
	}
}
