<?php
// Adds a SCORM activity to a course as its teacher would with "Add an activity or resource >
// SCORM package", every setting left at the form's default (see scorm_form.php for how).
//
// Completion: on a fresh site the form's "Completion conditions" radio starts at "None" (the
// site's default activity completion); choosing "Add requirements" shows the SCORM rules, of which
// the form has already ticked "Completed" (completionstatusrequired = 4) when adding. With
// "completion": "default" (the default here) the teacher chooses "Add requirements" and changes
// nothing else, so the activity gets automatic completion with completionstatusrequired = 4.
// "completion": "none" leaves the radio as the form shows it.
//
// Args: {"course": COURSEID, "teacher": USERID, "zip": "/path/to/package.zip", "name": "...",
//        "section": 0, "completion": "default"|"none", "settings": {form field: value, ...}}
// Result: see lm_scorm_summary(). A package the form refuses gives exit status 3 and the form's
// errors on stderr (e.g. scorm_validate_package()'s "nomanifest").

require(__DIR__ . '/bootstrap.php');
require_once(__DIR__ . '/scorm_form.php');

$args = lm_args();
lm_act_as((int)$args['teacher']);
$course = get_course((int)$args['course']);
$PAGE->set_course($course);

// What course/modedit.php?add=scorm&course=ID&section=N prepares.
[$module, $context, $cw, $cm, $data] = prepare_new_moduleinfo_data($course, 'scorm', (int)($args['section'] ?? 0));
$data->return = 0;
$data->add = 'scorm';
$data->beforemod = 0;

$completion = $args['completion'] ?? 'default';
if (!in_array($completion, ['default', 'none'], true)) {
    throw new coding_exception("completion must be 'default' or 'none', not '$completion'");
}
[$fromform, $form] = lm_submit_scorm_form($data, $cw->section, $cm, $course, function(array &$post) use ($args, $completion) {
    $post['name'] = $args['name'];
    $post['packagefile'] = lm_draft_file($args['zip']);
    if ($completion === 'default') {
        $post['completion'] = COMPLETION_TRACKING_AUTOMATIC;
    }
    foreach ($args['settings'] ?? [] as $field => $value) {
        $post[$field] = $value;
    }
});
$fromform = add_moduleinfo($fromform, $course, $form);

lm_result(lm_scorm_summary((int)$fromform->coursemodule));
