package dev.regcheck.lab.process;

import java.util.List;

/** A part of the lab that runs child processes: their PIDs while they run (tests check none outlives the lab). */
public interface ChildProcesses {
  List<Long> childPids();
}
