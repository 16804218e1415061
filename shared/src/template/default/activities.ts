import { activity } from '../author';
import type { SectionInput } from '../schema';

/** Default worksheet, section 4: the activity catalogue, each item rated giving and receiving. */

const impact = (id: string, label: string, help?: string) => activity('impact', id, label, help);
const restraint = (id: string, label: string, help?: string) => activity('restraint', id, label, help);
const sensation = (id: string, label: string, help?: string) => activity('sensation', id, label, help);
const protocol = (id: string, label: string, help?: string) => activity('protocol', id, label, help);
const verbal = (id: string, label: string, help?: string) => activity('verbal', id, label, help);
const pleasure = (id: string, label: string, help?: string) => activity('pleasure', id, label, help);
const roleplay = (id: string, label: string, help?: string) => activity('roleplay', id, label, help);
const marks = (id: string, label: string, help?: string) => activity('marks', id, label, help);
const remote = (id: string, label: string, help?: string) => activity('remote', id, label, help);

export const activities: SectionInput = {
  id: 'activities',
  title: 'Activities',
  why: 'Rating each activity both ways — giving (you lead or do it) and receiving (it is done to you, or you follow) — shows where your wishes meet.',
  kind: 'questions',
  categories: [
    { id: 'impact', label: 'Impact' },
    { id: 'restraint', label: 'Restraint & bondage' },
    { id: 'sensation', label: 'Sensation' },
    { id: 'protocol', label: 'Power & protocol' },
    { id: 'verbal', label: 'Verbal & psychological' },
    { id: 'pleasure', label: 'Control of pleasure' },
    { id: 'roleplay', label: 'Role-play' },
    { id: 'marks', label: 'Marks & visibility' },
    { id: 'remote', label: 'Remote play' },
  ],
  items: [
    impact('impact_hand', 'Spanking with a hand'),
    impact('impact_paddle', 'Paddles'),
    impact('impact_flogger', 'Floggers', 'Many soft tails: from a gentle rhythm to something firmer.'),
    impact('impact_crop_cane', 'Crops and canes', 'Sharper, more focused sensation; usually built up to slowly.'),
    impact('impact_strap', 'Belts or leather straps'),
    impact('impact_face', 'Light face slaps', 'For many people this is more about the gesture than the sensation.'),

    restraint('restraint_hold', 'Being held down by hands'),
    restraint('restraint_cuffs', 'Wrist or ankle cuffs'),
    restraint('restraint_rope', 'Rope bondage', 'Keep safety shears close and check hands and feet for numbness.'),
    restraint('restraint_tape', 'Bondage tape or wraps'),
    restraint('restraint_furniture', 'Being tied to furniture or a frame'),
    restraint('restraint_blindfold', 'Blindfolds'),
    restraint('restraint_gag', 'Gags', 'A gag changes how a safeword works: agree on a non-verbal signal first.'),

    sensation('sensation_temperature', 'Temperature play (ice, warmed stones)'),
    sensation('sensation_wax', 'Candle wax', 'Only low-temperature candles made for the body.'),
    sensation('sensation_light_touch', 'Feathers and the lightest touch'),
    sensation('sensation_tools', 'Textured tools (pinwheels, brushes, fur)'),
    sensation('sensation_scratching', 'Scratching'),
    sensation('sensation_biting', 'Biting'),
    sensation('sensation_clamps', 'Clamps', 'Often more intense when they come off than when they go on.'),

    protocol('protocol_rules', 'Rules to follow'),
    protocol('protocol_titles', 'Titles and forms of address'),
    protocol('protocol_kneeling', 'Kneeling and set positions'),
    protocol('protocol_permission', 'Asking permission'),
    protocol('protocol_tasks', 'Tasks and assignments'),
    protocol('protocol_service', 'Service (practical, domestic or personal)'),
    protocol('protocol_punishment', 'Agreed consequences and "punishment"', 'Play punishment is agreed in advance and never used to settle real conflicts.'),
    protocol('protocol_collar', 'A collar or other symbol of the dynamic'),

    verbal('verbal_praise', 'Praise'),
    verbal('verbal_pet_names', 'Pet names'),
    verbal('verbal_commands', 'Commands and a firm tone'),
    verbal('verbal_teasing', 'Teasing'),
    verbal('verbal_denial', 'Denial and making someone wait'),
    verbal('verbal_degradation', 'Degradation (only agreed words)', 'Note the exact words that are welcome, and the ones that are not.'),
    verbal('verbal_mind_games', 'Mind games and playful uncertainty'),

    pleasure('pleasure_orgasm_control', 'Orgasm control'),
    pleasure('pleasure_permission', 'Asking permission to finish'),
    pleasure('pleasure_edging', 'Edging'),
    pleasure('pleasure_overstimulation', 'Overstimulation'),
    pleasure('pleasure_chastity', 'Chastity devices'),
    pleasure('pleasure_toys', 'Toys used on one another'),

    roleplay('roleplay_strangers', 'Strangers meeting'),
    roleplay('roleplay_authority', 'Authority figures (boss, officer, official)'),
    roleplay('roleplay_royalty', 'Royalty and servant'),
    roleplay('roleplay_captive', 'Captor and captive', 'Intense for many people: agree on the story and its boundaries beforehand.'),
    roleplay('roleplay_medical', 'Medical role-play'),
    roleplay('roleplay_pet', 'Pet play'),
    roleplay('roleplay_fantasy', 'Fantasy characters and costumes'),

    marks('marks_fading', 'Marks that fade within a day'),
    marks('marks_lasting', 'Marks that last several days'),
    marks('marks_visible', 'Marks where clothing would not cover them'),
    marks('marks_love_bites', 'Love bites'),
    marks('marks_writing', 'Writing or drawing on skin'),
    marks('marks_photos', 'Photos of marks, kept private'),

    remote('remote_video_scene', 'A scene over video call'),
    remote('remote_voice_scene', 'A scene over a voice call'),
    remote('remote_text_tasks', 'Tasks given by text'),
    remote('remote_app_toys', 'App-controlled toys'),
    remote('remote_photos', 'Sharing photos', 'Agree on who may keep them, for how long, and what is never shared.'),
    remote('remote_check_ins', 'Check-in tasks (reports, proof of a task)'),
    remote('remote_rules_apart', 'Standing rules while apart'),
  ],
};
