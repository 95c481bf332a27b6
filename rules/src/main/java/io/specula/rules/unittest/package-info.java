/**
 * promtool's rule unit tests ({@code specula tool test rules}): the test-file format and a
 * runner whose output and exit code match {@code promtool test rules}.
 */
package io.specula.rules.unittest;
