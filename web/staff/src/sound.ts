/** Plays short tones (start in seconds from now, frequency in Hz, length in seconds): no sound file to load. */
export function playTones(tones: readonly (readonly [at: number, frequency: number, length: number])[]) {
  const audio = new AudioContext();
  for (const [at, frequency, length] of tones) {
    const tone = audio.createOscillator();
    tone.frequency.value = frequency;
    tone.connect(audio.destination);
    tone.start(audio.currentTime + at);
    tone.stop(audio.currentTime + at + length);
  }
}

/** A new ticket on the kitchen display. */
export const beep = () => playTones([[0, 880, 0.2]]);
/** Something on the floor needs a waiter. */
export const chime = () =>
  playTones([
    [0, 660, 0.15],
    [0.18, 990, 0.15],
  ]);
