// Reads YAML documents the way kubectl and Helm do (Go's gopkg.in/yaml.v2; kubectl's sigs.k8s.io/yaml is a fork of
// it) and prints each document as one line of JSON. A map key that does not read as a string is printed as
// "!key <type> <value>", so a comparison with the intended strings fails instead of hiding it.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"gopkg.in/yaml.v2"
)

func plain(v interface{}) interface{} {
	switch t := v.(type) {
	case map[interface{}]interface{}:
		m := map[string]interface{}{}
		for k, val := range t {
			key, ok := k.(string)
			if !ok {
				key = fmt.Sprintf("!key %T %v", k, k)
			}
			m[key] = plain(val)
		}
		return m
	case []interface{}:
		for i := range t {
			t[i] = plain(t[i])
		}
		return t
	}
	return v
}

func main() {
	dec := yaml.NewDecoder(bufio.NewReader(os.Stdin))
	out := json.NewEncoder(os.Stdout)
	for {
		var doc interface{}
		err := dec.Decode(&doc)
		if err == io.EOF {
			return
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if err := out.Encode(plain(doc)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}
