/** The Beam version the export is tested with (e2e/engines/requirements.txt pins the same). */
export const BEAM_VERSION = '2.77.0';
