<?php
// Creates a course with completion tracking on, and enrols a teacher (editingteacher) in it:
// the given one, or a new user.
// Args: {"shortname": "...", "fullname": "...", "teacher": USERID (optional)}
// Result: {"id": COURSEID, "teacherid": USERID}

require(__DIR__ . '/bootstrap.php');
require_once($CFG->dirroot . '/course/lib.php');
require_once($CFG->dirroot . '/user/lib.php');
require_once($CFG->libdir . '/enrollib.php');

$args = lm_args();
lm_act_as(get_admin()->id);

$course = create_course((object)[
    'category' => core_course_category::get_default()->id,
    'shortname' => $args['shortname'],
    'fullname' => $args['fullname'] ?? $args['shortname'],
    'enablecompletion' => 1,
]);

if (!empty($args['teacher'])) {
    $teacherid = (int)$args['teacher'];
} else {
    $teacherid = user_create_user([
        'username' => 'teacher-' . $course->id,
        'password' => 'Teacher-pass-1',
        'firstname' => 'Tess',
        'lastname' => 'Teacher',
        'email' => 'teacher-' . $course->id . '@example.com',
        'auth' => 'manual',
        'confirmed' => 1,
        'mnethostid' => $CFG->mnet_localhost_id,
    ]);
}
$manual = enrol_get_plugin('manual');
$instance = $DB->get_record('enrol', ['courseid' => $course->id, 'enrol' => 'manual'], '*', MUST_EXIST);
$manual->enrol_user($instance, $teacherid, $DB->get_field('role', 'id', ['shortname' => 'editingteacher'], MUST_EXIST));

lm_result(['id' => (int)$course->id, 'teacherid' => (int)$teacherid]);
