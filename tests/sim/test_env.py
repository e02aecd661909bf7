import gymnasium as gym
import numpy as np
from gymnasium.utils.env_checker import check_env

from burro.sim import DonkeyEnv
from burro.sim.env import ENV_ID


def test_gymnasium_env_checker_passes():
    check_env(gym.make(ENV_ID, track="oval", render_mode="rgb_array").unwrapped,
              skip_render_check=False)
    check_env(gym.make(ENV_ID, track="oval", randomise=True, random_start=True).unwrapped)


def test_registered_env_drives_and_rewards_progress():
    env = gym.make(ENV_ID, track="oval")
    observation, info = env.reset(seed=3)
    assert observation.shape == (120, 160, 3) and info["lap_count"] == 0
    rewards = [env.step(np.array([0.0, 0.4], np.float32))[1] for _ in range(20)]
    assert all(r >= 0 for r in rewards) and rewards[-1] > 0.5  # speeding up on the straight
    env.close()


def test_leaving_the_track_ends_the_episode_with_minus_one():
    env = DonkeyEnv(track="oval")
    env.reset(seed=0)
    for _ in range(200):
        _, reward, terminated, _truncated, info = env.step(np.array([1.0, 0.5], np.float32))
        if terminated:
            break
    assert terminated and reward == -1.0 and info["off_track"]
