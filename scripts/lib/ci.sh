# Sourced by the shell scripts that behave differently in CI. CI counts as set when it holds any
# non-empty value but "false" and "0": CI systems disagree on the value (GitHub Actions and
# GitLab set "true", others "1" or their own name). test/support/prereq.ts applies the same rule.
in_ci() {
  case "${CI:-}" in
    '' | false | 0) return 1 ;;
    *) return 0 ;;
  esac
}
