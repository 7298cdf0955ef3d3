<?php
// Shared start of the harness's CLI scripts: loads Moodle and reads the script's arguments.
//
// Each script is run as `php SCRIPT.php JSON` with LEARNMARK_MOODLE_DIRROOT naming the Moodle
// folder (whose config.php the harness wrote). Arguments come as one JSON object; the result is
// printed as one line `LEARNMARK_RESULT {json}` so that anything Moodle prints (debugging,
// notices) cannot be mistaken for it. Failures throw: PHP exits non-zero with the message.

define('CLI_SCRIPT', true);

$lmdirroot = getenv('LEARNMARK_MOODLE_DIRROOT');
if (!$lmdirroot || !is_file($lmdirroot . '/config.php')) {
    fwrite(STDERR, "LEARNMARK_MOODLE_DIRROOT must name a Moodle folder with a config.php\n");
    exit(2);
}
require($lmdirroot . '/config.php');
// Say why when something fails (the site itself keeps Moodle's default debugging).
$CFG->debug = DEBUG_DEVELOPER;
$CFG->debugdisplay = 1;

/** The JSON object given as the first argument. */
function lm_args(): array {
    global $argv;
    $args = json_decode($argv[1] ?? '{}', true, 512, JSON_THROW_ON_ERROR);
    if (!is_array($args)) {
        throw new coding_exception('the argument must be a JSON object');
    }
    return $args;
}

/** Prints the script's result for the harness and ends the script. */
function lm_result(array $result): void {
    echo "\nLEARNMARK_RESULT " . json_encode($result, JSON_UNESCAPED_SLASHES) . "\n";
    exit(0);
}

/** Acts as this user from now on (for capability checks and the user's draft file area). */
function lm_act_as(int $userid): void {
    global $DB;
    \core\session\manager::set_user($DB->get_record('user', ['id' => $userid], '*', MUST_EXIST));
}

/** Puts a file into a fresh draft area of the current user, as the file picker does; returns the draft item id. */
function lm_draft_file(string $path): int {
    global $USER;
    if (!is_file($path)) {
        throw new coding_exception("no such file: $path");
    }
    $draftitemid = file_get_unused_draft_itemid();
    get_file_storage()->create_file_from_pathname([
        'component' => 'user', 'filearea' => 'draft', 'contextid' => context_user::instance($USER->id)->id,
        'itemid' => $draftitemid, 'filepath' => '/', 'filename' => basename($path),
    ], $path);
    return $draftitemid;
}
