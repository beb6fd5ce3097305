package io.github.mlflowsecretsauth.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Starting exec's child: the command is found as execvp would, and runs under setpriv with the same pid. */
class ChildLauncherTest {
    @TempDir
    Path dir;

    @Test
    void aMissingCommand_is127_andANonExecutableFile126_eachInOneLine() throws Exception {
        assertThatThrownBy(() -> ChildLauncher.resolve("no-such-command-xyz", "/usr/bin:/bin", dir))
                .isInstanceOf(ChildLauncher.CannotRun.class).hasMessage("cannot run 'no-such-command-xyz': No such file or directory on PATH")
                .satisfies(e -> assertThat(((ChildLauncher.CannotRun) e).exitCode).isEqualTo(127));
        Files.writeString(dir.resolve("script.sh"), "echo hi\n");
        assertThatThrownBy(() -> ChildLauncher.resolve("./script.sh", "/usr/bin", dir))
                .isInstanceOf(ChildLauncher.CannotRun.class).hasMessageContaining("is not executable")
                .satisfies(e -> assertThat(((ChildLauncher.CannotRun) e).exitCode).isEqualTo(126));
    }

    @Test
    void aCommandIsFoundOnTheChildsPath_orRelativeToItsDirectory() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path tool = Files.writeString(bin.resolve("tool"), "#!/bin/sh\n");
        tool.toFile().setExecutable(true);
        assertThat(ChildLauncher.resolve("tool", "/nonexistent:" + bin, dir)).isEqualTo(tool);
        assertThat(ChildLauncher.resolve("bin/tool", null, dir)).isEqualTo(dir.resolve("bin/tool"));
    }

    @Test
    void underSetpriv_theChildKeepsItsPid_environmentAndExitCode() throws Exception {
        ChildLauncher launcher = ChildLauncher.forThisMachine();
        Path out = dir.resolve("out.txt");
        Process p = launcher.start(List.of("sh", "-c", "echo \"$$ $ONLY_VAR ${HOME:-nohome}\" > " + out + "; exit 9"),
                Map.of("PATH", "/usr/bin:/bin", "ONLY_VAR", "v1"), dir);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(9);
        assertThat(Files.readString(out).strip()).isEqualTo(p.pid() + " v1 nohome");
    }

    @Test
    void onLinuxWithSetpriv_theChildHasAParentDeathSignal_andWithoutItNone() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(ChildLauncher.SETPRIV), "needs /usr/bin/setpriv");
        // setpriv --dump prints the calling process's settings, the parent-death signal among them.
        assertThat(dump(ChildLauncher.forThisMachine())).contains("Parent death signal: TERM");
        assertThat(dump(new ChildLauncher(Optional.empty()))).contains("Parent death signal: [none]");
    }

    private String dump(ChildLauncher launcher) throws Exception {
        Path out = dir.resolve("dump.txt");
        Process p = launcher.start(List.of("sh", "-c", "exec setpriv --dump > " + out), Map.of("PATH", "/usr/bin:/bin"), dir);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return Files.readString(out);
    }
}
