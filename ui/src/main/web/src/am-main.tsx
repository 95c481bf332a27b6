import { mount } from "./components/bootstrap";
import { AmApp } from "./am/AmApp";
import { pageTitle } from "./lib/base";

document.title = pageTitle("Alertmanager");
mount(<AmApp />);
