"""Stack traces read for what they say about a cause: the exception and the application's own
frames, not the test harness and the JVM's plumbing around them.

Two tickets whose tests both fail under JUnit share twenty frames (`org.junit.runners.
ParentRunner.run`, `sun.reflect.NativeMethodAccessorImpl.invoke`…) and nothing else; read as
words, those frames outweigh their prose and glue unrelated tickets into one issue. So a frame
line (`at pkg.Class.method(File.java:42)`) keeps only its method path — file names and line
numbers differ between builds and say nothing — each distinct frame counts once, and frames of
test runners, reflection and thread pools are left out. The exception line and the prose are
read as they are.
"""

from __future__ import annotations

import re

# Java and JVM-language frames: "at org.Foo.bar(Foo.java:12)", "at java.base/jdk.internal…".
_FRAME = re.compile(r"^[ \t]*at[ \t]+(?:[\w.$-]+/)?([\w$.<>]+)[ \t]*\([^)\n]*\)[ \t]*\r?$", re.M)
_MORE = re.compile(r"^[ \t]*\.\.\.[ \t]*\d+[ \t]+more[ \t]*\r?$", re.M)
HARNESS = (
    "org.junit.",
    "junit.framework.",
    "junit.textui.",
    "org.testng.",
    "org.apache.maven.surefire.",
    "org.apache.maven.plugin.surefire.",
    "org.gradle.",
    "org.eclipse.jdt.internal.junit",
    "com.intellij.rt.",
    "sun.reflect.",
    "jdk.internal.reflect.",
    "jdk.internal.",
    "java.lang.reflect.",
    "java.lang.Thread.",
    "java.util.concurrent.ThreadPoolExecutor",
    "java.util.concurrent.FutureTask",
    "org.mockito.",
    "org.powermock.",
)


def plain_frames(text: str) -> str:
    """The text with each stack frame reduced to its method path, once, harness frames left
    out; text without frames is returned as it is (and fast)."""
    if "at " not in text or "(" not in text:
        return text
    seen: set[str] = set()

    def frame(match: re.Match[str]) -> str:
        path = match.group(1)
        if path in seen or path.startswith(HARNESS):
            return ""
        seen.add(path)
        return path

    return _MORE.sub("", _FRAME.sub(frame, text))
