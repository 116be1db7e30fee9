package main

import (
	"bufio"
	"fmt"
	"os"
	"slices"
	"strings"
)

// students returns the students' names: the roster's, or else the names of
// the class folder's folders.
func students(class, roster string) ([]string, error) {
	if roster != "" {
		f, err := os.Open(roster)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		var names []string
		lines := bufio.NewScanner(f)
		for lines.Scan() {
			fields := strings.Fields(lines.Text())
			if len(fields) > 0 && !strings.HasPrefix(fields[0], "#") {
				names = append(names, fields[0])
			}
		}
		if len(names) == 0 && lines.Err() == nil {
			return nil, fmt.Errorf("%s lists no student", roster)
		}
		return names, lines.Err()
	}
	entries, err := os.ReadDir(class)
	if err != nil {
		return nil, fmt.Errorf("%v\nGive the folder that holds the students' clones.", err)
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
			names = append(names, e.Name())
		}
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("%s holds no folder: it should hold one clone per student", class)
	}
	slices.SortFunc(names, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
	return names, nil
}
