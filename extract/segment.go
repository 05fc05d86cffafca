package extract

import (
	_ "embed"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/go-ego/gse"
)

var (
	//go:embed data/general.txt
	generalDict string
	//go:embed data/thuocl_medical.txt
	medicalDict string
)

// Frequencies given to project words in the gse dictionary: high enough
// that gse keeps them whole, low enough not to swallow their neighbours.
const (
	termFreq = 3000
	cueFreq  = 5000
)

// token is a gse word with rune offsets relative to the segmented text.
type token struct {
	text       string
	start, end int
	pos        string
}

// segmenter cuts Chinese text into words with gse, using a compact
// embedded dictionary plus the vocabulary's terms and the relation cue
// words, so that cue words are recognised only as whole words (无 in 无力
// is not a negation).
type segmenter struct {
	seg gse.Segmenter
}

func newSegmenter(terms, cues []string) (*segmenter, error) {
	var b strings.Builder
	b.Grow(len(generalDict) + len(medicalDict) + 32*(len(terms)+len(cues)))
	b.WriteString(generalDict)
	b.WriteString(medicalDict)
	for _, t := range terms {
		if strings.ContainsAny(t, " \n") || t == "" {
			continue // gse's dictionary format is space-separated
		}
		fmt.Fprintf(&b, "%s %d nz\n", t, termFreq)
	}
	for _, c := range cues {
		fmt.Fprintf(&b, "%s %d v\n", c, cueFreq)
	}
	s := &segmenter{}
	s.seg.SkipLog = true
	// LoadDictStr adds every line and then calls CalcToken once, so the
	// added words are weighted like the rest of the dictionary.
	if err := s.seg.LoadDictStr(b.String()); err != nil {
		return nil, fmt.Errorf("load segmenter dictionary: %w", err)
	}
	if s.seg.Dict.NumTokens() < 30000 {
		return nil, fmt.Errorf("segmenter dictionary loaded only %d words", s.seg.Dict.NumTokens())
	}
	return s, nil
}

// cut segments text and returns its words with rune offsets.
func (s *segmenter) cut(text string) []token {
	segs := s.seg.Segment([]byte(text))
	out := make([]token, 0, len(segs))
	runePos, bytePos := 0, 0
	for _, sg := range segs {
		// gse reports byte offsets; walk forward to convert them.
		runePos += utf8.RuneCountInString(text[bytePos:sg.Start()])
		start := runePos
		word := text[sg.Start():sg.End()]
		runePos += utf8.RuneCountInString(word)
		bytePos = sg.End()
		out = append(out, token{text: word, start: start, end: runePos, pos: sg.Token().Pos()})
	}
	return out
}
