package main

import (
	"encoding/csv"
	"fmt"
	"os"
	"strings"
)

// stages are the lesson's stages, as the columns name them.
var stages = []string{"23.5.2", "23.5.3", "23.6 add", "23.6 duplicates"}

// row is one student's line.
type row struct {
	name     string
	status   string   // "finished", "not yet", "WRONG", or why the work was not checked, such as "empty"
	verdicts []string // each stage's verdict, when the work was checked
	note     string   // what went wrong, and what else the teacher should know, or ""
}

// addNote adds a part to the row's note.
func (r *row) addNote(part string) {
	if part == "" {
		return
	}
	if r.note != "" {
		r.note += "; "
	}
	r.note += part
}

// line is a row as the terminal shows it.
func line(r row, width int) string {
	if len(r.verdicts) != len(stages) && r.note == "" {
		return fmt.Sprintf("%-*s  %s", width, r.name, r.status)
	}
	if len(r.verdicts) != len(stages) {
		return fmt.Sprintf("%-*s  %s: %s", width, r.name, r.status, r.note)
	}
	end := r.note
	if r.status == "finished" {
		end = strings.TrimSuffix("finished; "+r.note, "; ")
	}
	return strings.TrimRight(fmt.Sprintf("%-*s  %-7s  %-7s  %-8s  %-15s  %s", width, r.name,
		r.verdicts[0], r.verdicts[1], r.verdicts[2], r.verdicts[3], end), " ")
}

// writeCSV writes the rows to the file name: a header, then a student a line.
func writeCSV(name string, rows []row) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	w.Write(append(append([]string{"student", "result"}, stages...), "note"))
	for _, r := range rows {
		verdicts := r.verdicts
		if len(verdicts) != len(stages) {
			verdicts = make([]string, len(stages))
		}
		w.Write(append(append([]string{r.name, r.status}, verdicts...), r.note))
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
