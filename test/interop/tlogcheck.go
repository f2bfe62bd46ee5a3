// tlogcheck verifies unspoof's audit checkpoints and proofs with Go's own implementation of
// signed notes and RFC 6962 trees (golang.org/x/mod/sumdb/note and sumdb/tlog, from Debian's
// golang-golang-x-mod-dev): an implementation unspoof did not write. It reads one JSON object
// on stdin and prints one line per check; it exits 1 at the first that fails.
package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type input struct {
	Vkey        string   `json:"vkey"`
	Checkpoint  string   `json:"checkpoint"`
	Older       string   `json:"older"`
	Entries     []string `json:"entries"`
	Entry       int64    `json:"entry"`
	Inclusion   []string `json:"inclusion"`
	Consistency []string `json:"consistency"`
}

func fail(format string, a ...interface{}) {
	fmt.Printf("FAIL "+format+"\n", a...)
	os.Exit(1)
}

func hashes(l []string) []tlog.Hash {
	out := make([]tlog.Hash, len(l))
	for i, s := range l {
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil || len(b) != 32 {
			fail("hash %d is not base64 SHA-256", i)
		}
		copy(out[i][:], b)
	}
	return out
}

// open verifies a checkpoint's signature and reads its size and root.
func open(v note.Verifier, text string) (int64, tlog.Hash) {
	n, err := note.Open([]byte(text), note.VerifierList(v))
	if err != nil {
		fail("note.Open: %v", err)
	}
	lines := strings.Split(n.Text, "\n")
	if len(lines) < 4 || lines[0] != v.Name() {
		fail("the checkpoint's origin is not the key's name")
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil {
		fail("tree size: %v", err)
	}
	return size, hashes([]string{lines[2]})[0]
}

func main() {
	var in input
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		fail("input: %v", err)
	}
	v, err := note.NewVerifier(in.Vkey)
	if err != nil {
		fail("note.NewVerifier: %v", err)
	}
	size, root := open(v, in.Checkpoint)
	fmt.Printf("ok signature of the checkpoint at %d entries\n", size)

	// The tree of the entries, stored as tlog stores it, and its head at the checkpoint's size.
	var stored []tlog.Hash
	reader := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for i, x := range idx {
			out[i] = stored[x]
		}
		return out, nil
	})
	for i, e := range in.Entries {
		hs, err := tlog.StoredHashes(int64(i), []byte(e), reader)
		if err != nil {
			fail("StoredHashes: %v", err)
		}
		stored = append(stored, hs...)
	}
	th, err := tlog.TreeHash(size, reader)
	if err != nil || th != root {
		fail("the entries' tree hash at %d is not the checkpoint's root", size)
	}
	fmt.Printf("ok root of the first %d entries\n", size)

	if in.Inclusion != nil {
		leaf := tlog.RecordHash([]byte(in.Entries[in.Entry-1]))
		if err := tlog.CheckRecord(hashes(in.Inclusion), size, root, in.Entry-1, leaf); err != nil {
			fail("CheckRecord: %v", err)
		}
		fmt.Printf("ok inclusion of entry %d\n", in.Entry)
	}
	if in.Older != "" {
		oldSize, oldRoot := open(v, in.Older)
		if err := tlog.CheckTree(hashes(in.Consistency), size, root, oldSize, oldRoot); err != nil {
			fail("CheckTree: %v", err)
		}
		fmt.Printf("ok consistency from %d to %d entries\n", oldSize, size)
	}
}
