#pragma once

namespace avatar {

struct ScalerReaction {
    double seconds = -1.0; // from the load step to the first scale-up decision; < 0: none within the limit
    bool predictive = false;
    int workersBefore = 0;
    int workersAfter = 0;
};

// scaler_reaction_s: a real Scaler loop (1 s period, real /proc readings, a real ThreadPool attached) sees
// an idle queue for `idleSeconds`, then the queue depth jumps to 4x its target; returns the time from that
// step to the first scale-up decision. Takes idleSeconds plus about one period of real time.
ScalerReaction measureScalerReaction(double idleSeconds = 2.5, double limitSeconds = 10.0);

} // namespace avatar
