package io.github.mlflowsecretsauth.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Signals reach a real child shell as themselves; a child killed by one exits 128 + its number. */
class SignalForwarderTest {
    @TempDir
    Path dir;

    /** A shell that traps INT and HUP, says "ready" once its traps are set, and idles until a trap ends it. */
    private static Process trappingChild() throws Exception {
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            cmd.add("/usr/bin/setsid"); // its own session: a terminal the build may run in does not signal it
        }
        cmd.addAll(List.of("sh", "-c", "trap 'echo got INT; exit 3' INT; trap 'echo got HUP; exit 4' HUP; echo ready; "
                + "while :; do sleep 0.05; done"));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    private static String forwardAndRead(String signal, Process child) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("ready");
        try (SignalForwarder forwarder = SignalForwarder.install()) {
            forwarder.attach(child);
            forwarder.forward(signal);
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        return out.readLine();
    }

    @Test
    void sigint_reachesTheChildAsSigint() throws Exception {
        Process child = trappingChild();
        assertThat(forwardAndRead("INT", child)).isEqualTo("got INT");
        assertThat(child.exitValue()).isEqualTo(3);
    }

    @Test
    void sighup_reachesTheChildAsSighup() throws Exception {
        Process child = trappingChild();
        assertThat(forwardAndRead("HUP", child)).isEqualTo("got HUP");
        assertThat(child.exitValue()).isEqualTo(4);
    }

    @Test
    void aChildKilledBySigterm_exits128PlusFifteen() throws Exception {
        Process child = trappingChild(); // TERM is not trapped: the shell dies of it
        assertThat(forwardAndRead("TERM", child)).isNull();
        assertThat(child.exitValue()).isEqualTo(128 + 15);
    }

    @Test
    void aFinishedChild_isNotSignalled() throws Exception {
        Process child = new ProcessBuilder("true").start();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        try (SignalForwarder forwarder = SignalForwarder.install()) {
            forwarder.attach(child);
            forwarder.forward("INT"); // a reused pid must not get it: nothing is sent
        }
        assertThat(child.exitValue()).isZero();
    }

    @Test
    void aSignalBeforeTheChildStarted_isSentOnceItRuns() throws Exception {
        Process child = trappingChild();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("ready");
        try (SignalForwarder forwarder = SignalForwarder.install()) {
            forwarder.forward("HUP"); // no child yet: kept
            forwarder.attach(child);
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(out.readLine()).isEqualTo("got HUP");
    }

    @Test
    void inATerminal_aKeyboardSignalIsNotSentAgain_toAChildInTheForegroundGroup_butIsToOneThatLeftIt() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/script"))
                && Files.isExecutable(Path.of("/usr/bin/setsid")), "needs script and setsid (util-linux)");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String probe = "'" + java + "' -cp '" + System.getProperty("java.class.path") + "' " + TerminalGroupProbe.class.getName();
        // script(1) runs the probe on a new pseudo-terminal, as the foreground process group of that terminal.
        Process p = new ProcessBuilder("/usr/bin/script", "-qec", probe, "/dev/null").redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).contains("same-group=true own-session=false");
    }

    @Test
    void procStat_groupsAreReadAfterTheCommandName_evenWithSpacesAndParentheses() throws Exception {
        Path stat = Files.writeString(dir.resolve("stat"), "4242 (a b) (c)) S 1 4200 4100 34816 4200 4194560 0 0\n");
        assertThat(SignalForwarder.groups(stat)).containsExactly(4200, 4200);
        assertThat(SignalForwarder.groups(dir.resolve("missing"))).isNull();
        assertThat(SignalForwarder.groups(Path.of("/proc/self/stat"))).hasSize(2);
    }
}
