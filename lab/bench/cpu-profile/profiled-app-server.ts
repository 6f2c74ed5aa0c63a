// Entry of the profiled app server (startAppServer's `entry`): the profiler toggle, then the app.
import './profiler-toggle.ts';
import '../../../services/app/src/main.ts';
