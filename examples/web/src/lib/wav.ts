// A small WAV writer for local demo mode: its recordings are real audio the
// <audio> element can play (a ringback tone, like the server's demo WAVs).

/** 8 kHz 16-bit mono PCM: a 440+480 Hz ringback tone, 2 s on / 1 s off. */
export function ringbackWav(seconds: number, sampleRate = 8000): Uint8Array {
  const n = Math.max(1, Math.round(Math.max(0.5, seconds) * sampleRate));
  const dataBytes = n * 2;
  const buf = new ArrayBuffer(44 + dataBytes);
  const v = new DataView(buf);
  const ascii = (off: number, s: string) => {
    for (let i = 0; i < s.length; i++) v.setUint8(off + i, s.charCodeAt(i));
  };
  ascii(0, 'RIFF');
  v.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  v.setUint32(16, 16, true); // fmt chunk size
  v.setUint16(20, 1, true); // PCM
  v.setUint16(22, 1, true); // mono
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * 2, true); // byte rate
  v.setUint16(32, 2, true); // block align
  v.setUint16(34, 16, true); // bits per sample
  ascii(36, 'data');
  v.setUint32(40, dataBytes, true);
  for (let i = 0; i < n; i++) {
    const t = i / sampleRate;
    const on = t % 3 < 2;
    const s = on ? 0.18 * (Math.sin(2 * Math.PI * 440 * t) + Math.sin(2 * Math.PI * 480 * t)) : 0;
    v.setInt16(44 + i * 2, Math.round(s * 32767), true);
  }
  return new Uint8Array(buf);
}
