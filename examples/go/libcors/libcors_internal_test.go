// SPDX-License-Identifier: MIT

package libcors

import (
	"errors"
	"strings"
	"testing"
)

// The init-time check refuses a library, or a libcors.h, of another series.
func TestCheckVersions(t *testing.T) {
	if err := check(APIVersion, APIVersion+1); err != nil {
		t.Errorf("a patch release: %v", err)
	}
	for _, c := range []struct {
		header, linked int
		want           string
	}{
		{APIVersion, 300, "the libcors linked is"},
		{APIVersion, 10000, "written for 0.2.x (CORS_VERSION_NUMBER 200)"},
		{300, APIVersion, "compiled against libcors.h 0.3"},
	} {
		err := check(c.header, c.linked)
		if !errors.Is(err, ErrIncompatible) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("check(%d, %d) = %v, want %q", c.header, c.linked, err, c.want)
		}
	}
}
